<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id">
<context>
    <name>MonthlyReportDialog</name>
    <message>
        <source>Monthly report</source>
        <translation>Laporan bulanan</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Bulan</translation>
    </message>
    <message>
        <source>(so far)</source>
        <translation>(berjalan)</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Unit kerja</translation>
    </message>
    <message>
        <source>All units</source>
        <translation>Seluruh unit kerja</translation>
    </message>
    <message>
        <source>&amp;Month:</source>
        <translation>&amp;Bulan:</translation>
    </message>
    <message>
        <source>&amp;Unit:</source>
        <translation>&amp;Unit kerja:</translation>
    </message>
    <message>
        <source>The report is in Indonesian, on A4, without reporters&apos; personal data.</source>
        <translation>Laporan berbahasa Indonesia, ukuran A4, tanpa data pribadi pelapor.</translation>
    </message>
    <message>
        <source>Choose file…</source>
        <translation>Pilih berkas…</translation>
    </message>
</context>
<context>
    <name>MonthlyReportFlow</name>
    <message>
        <source>Save the monthly report as</source>
        <translation>Simpan laporan bulanan sebagai</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Excel: the report&apos;s tables (*.xlsx)</source>
        <translation>Excel: tabel-tabel laporan (*.xlsx)</translation>
    </message>
    <message>
        <source>CSV: the KPI table (*.csv)</source>
        <translation>CSV: tabel indikator kinerja (*.csv)</translation>
    </message>
    <message>
        <source>Monthly report saved to:</source>
        <translation>Laporan bulanan disimpan ke:</translation>
    </message>
    <message>
        <source>Monthly report</source>
        <translation>Laporan bulanan</translation>
    </message>
    <message>
        <source>Nothing happened in this month: every figure is zero.</source>
        <translation>Tidak ada laporan pada bulan ini: semua angka nol.</translation>
    </message>
    <message>
        <source>Cannot write the monthly report</source>
        <translation>Laporan bulanan tidak dapat ditulis</translation>
    </message>
</context>
</TS>
