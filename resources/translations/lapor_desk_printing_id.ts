<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id">
<context>
    <name>PrintJob</name>
    <message>
        <source>Print %1</source>
        <translation>Cetak %1</translation>
    </message>
    <message>
        <source>No printer is set up on this PC, so “%1” cannot be printed here.</source>
        <translation>Belum ada printer yang terpasang di PC ini, jadi “%1” tidak dapat dicetak di sini.</translation>
    </message>
    <message>
        <source>“%1” could not be printed: the printer did not take it (it may be off, out of paper or disconnected).</source>
        <translation>“%1” tidak dapat dicetak: printer tidak menerimanya (mungkin mati, kehabisan kertas, atau tidak tersambung).</translation>
    </message>
    <message>
        <source>Cannot print</source>
        <translation>Tidak dapat mencetak</translation>
    </message>
    <message>
        <source>Save it as a PDF instead? The PDF can be printed on another PC or sent to the citizen.</source>
        <translation>Simpan sebagai PDF saja? PDF itu dapat dicetak di PC lain atau dikirim kepada warga.</translation>
    </message>
    <message>
        <source>&amp;Save as PDF…</source>
        <translation>&amp;Simpan sebagai PDF…</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>Simpan sebagai PDF</translation>
    </message>
    <message>
        <source>PDF, A4 paper (*.pdf)</source>
        <translation>PDF, kertas A4 (*.pdf)</translation>
    </message>
    <message>
        <source>PDF, A5 paper (*.pdf)</source>
        <translation>PDF, kertas A5 (*.pdf)</translation>
    </message>
    <message>
        <source>PDF, 80 mm receipt roll (*.pdf)</source>
        <translation>PDF, kertas struk 80 mm (*.pdf)</translation>
    </message>
    <message>
        <source>Cannot save the PDF</source>
        <translation>PDF tidak dapat disimpan</translation>
    </message>
</context>
</TS>
