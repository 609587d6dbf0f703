"""Receipts (tanda terima) and status letters (surat keterangan status) on paper: one painter for PDF files and
printers (A4, A5, an 80 mm thermal roll), and the API counter mode, the intake form and the detail panel use
(ui.printing.service, ui.printing.jobs). The content comes from app.read.receipt and app.read.status_letter."""

# The two papers (light to import: the detail panel names them before anything is printed).
RECEIPT = "receipt"
STATUS_LETTER = "status-letter"
