"""``lapor-desk selftest``: the program checks itself on this PC, as installed (frozen or not), against demo data in a
temporary folder: the real window offscreen, its main screens, a receipt and a monthly report written as PDFs."""
