<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id">
<context>
    <name>ComplaintListWidget</name>
    <message>
        <source>Search tracking code, title, text or reporter… (Ctrl+F)</source>
        <translation>Cari kode pelacakan, judul, isi, atau nama pelapor… (Ctrl+F)</translation>
    </message>
    <message>
        <source>Search complaints</source>
        <translation>Cari pengaduan</translation>
    </message>
    <message>
        <source>Number of complaints</source>
        <translation>Jumlah pengaduan</translation>
    </message>
    <message>
        <source>E&amp;xport…</source>
        <translation>&amp;Ekspor…</translation>
    </message>
    <message>
        <source>Save the complaints the list shows to Excel, CSV or Open311</source>
        <translation>Simpan laporan yang tampil di daftar ke Excel, CSV atau Open311</translation>
    </message>
    <message>
        <source>Export the list</source>
        <translation>Ekspor daftar</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>Daftar pengaduan</translation>
    </message>
    <message numerus="yes">
        <source>%Ln complaint(s)</source>
        <translation>
            <numerusform>%Ln pengaduan</numerusform>
        </translation>
    </message>
    <message>
        <source>(first matches only: refine the search)</source>
        <translation>(hanya hasil teratas: persempit pencarian)</translation>
    </message>
    <message>
        <source>No complaint matches the search.</source>
        <translation>Tidak ada pengaduan yang cocok dengan pencarian.</translation>
    </message>
    <message>
        <source>No complaint matches these filters. Change them or press Reset.</source>
        <translation>Tidak ada pengaduan yang cocok dengan filter ini. Ubah filter atau tekan Atur Ulang.</translation>
    </message>
    <message>
        <source>Nothing is waiting for your action.</source>
        <translation>Tidak ada pengaduan yang menunggu tindakan Anda.</translation>
    </message>
    <message>
        <source>There are no complaints here.</source>
        <translation>Belum ada pengaduan di sini.</translation>
    </message>
</context>
<context>
    <name>ComplaintTableModel</name>
    <message>
        <source>Deadline ({kind}): {when} — {state}</source>
        <translation>Tenggat ({kind}): {when} — {state}</translation>
    </message>
    <message>
        <source>Deadline: {when} — {state}</source>
        <translation>Tenggat: {when} — {state}</translation>
    </message>
    <message>
        <source>This column cannot be sorted</source>
        <translation>Kolom ini tidak dapat diurutkan</translation>
    </message>
    <message>
        <source>Tracking code</source>
        <translation>Kode pelacakan</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Judul</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Kategori</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Unit kerja</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Diterima</translation>
    </message>
    <message>
        <source>Next deadline</source>
        <translation>Tenggat berikutnya</translation>
    </message>
    <message>
        <source>Deadline for</source>
        <translation>Jenis tenggat</translation>
    </message>
</context>
<context>
    <name>ComplaintViews</name>
    <message>
        <source>Inbox</source>
        <translation>Kotak Masuk</translation>
    </message>
    <message>
        <source>Complaints waiting for your action</source>
        <translation>Pengaduan yang menunggu tindakan Anda</translation>
    </message>
    <message>
        <source>To verify</source>
        <translation>Perlu Verifikasi</translation>
    </message>
    <message>
        <source>New complaints not yet verified</source>
        <translation>Pengaduan baru yang belum diverifikasi</translation>
    </message>
    <message>
        <source>Dispositioned</source>
        <translation>Didisposisikan</translation>
    </message>
    <message>
        <source>Sent to a unit, waiting for its follow-up</source>
        <translation>Sudah didisposisikan ke unit kerja, menunggu tindak lanjut</translation>
    </message>
    <message>
        <source>Awaiting response</source>
        <translation>Menunggu Tanggapan</translation>
    </message>
    <message>
        <source>Followed up, waiting for the reporter&apos;s response</source>
        <translation>Sudah ditindaklanjuti, menunggu tanggapan pelapor</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>Melewati Tenggat</translation>
    </message>
    <message>
        <source>Open complaints past their deadline</source>
        <translation>Pengaduan aktif yang melewati tenggat</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Semua</translation>
    </message>
    <message>
        <source>Every complaint of this office</source>
        <translation>Semua pengaduan di instansi ini</translation>
    </message>
    <message>
        <source>Archived</source>
        <translation>Diarsipkan</translation>
    </message>
    <message>
        <source>Archived complaints and those redirected as not our authority</source>
        <translation>Pengaduan yang diarsipkan dan yang dialihkan karena bukan wewenang</translation>
    </message>
</context>
<context>
    <name>ExportOptions</name>
    <message>
        <source>Export complaints</source>
        <translation>Ekspor laporan</translation>
    </message>
    <message numerus="yes">
        <source>Export the %Ln complaint(s) the list shows now, with its filters, search and order.</source>
        <translation>
            <numerusform>Ekspor %Ln laporan yang tampil di daftar saat ini, sesuai saringan, pencarian dan urutannya.</numerusform>
        </translation>
    </message>
    <message>
        <source>File format</source>
        <translation>Format berkas</translation>
    </message>
    <message>
        <source>Excel workbook (.xlsx)</source>
        <translation>Buku kerja Excel (.xlsx)</translation>
    </message>
    <message>
        <source>CSV for Excel (.csv, separated by ;)</source>
        <translation>CSV untuk Excel (.csv, dipisah ;)</translation>
    </message>
    <message>
        <source>Open311 GeoReport v2, JSON (.json)</source>
        <translation>Open311 GeoReport v2, JSON (.json)</translation>
    </message>
    <message>
        <source>Open311 GeoReport v2, XML (.xml)</source>
        <translation>Open311 GeoReport v2, XML (.xml)</translation>
    </message>
    <message>
        <source>Without the reporters&apos; personal data. Of confidential complaints only the code, dates, status, category and unit are exported; Open311 leaves them out.</source>
        <translation>Tanpa data pribadi pelapor. Dari laporan rahasia hanya kode, tanggal, status, kategori dan unit kerja yang diekspor; Open311 tidak memuatnya sama sekali.</translation>
    </message>
    <message>
        <source>Include the reporters&apos; personal data</source>
        <translation>Sertakan data pribadi pelapor</translation>
    </message>
    <message>
        <source>Warning: the file will hold the name, NIK, phone, e-mail and address of every reporter who is not anonymous (never those of anonymous reporters or of confidential complaints). This export is recorded in the audit log with your name. Keep the file safe and share it only as the personal data protection rules allow.</source>
        <translation>Perhatian: berkas ini akan memuat nama, NIK, telepon, e-mail dan alamat setiap pelapor yang tidak anonim (tidak pernah milik pelapor anonim atau pelapor laporan rahasia). Ekspor ini dicatat di log audit atas nama Anda. Simpan berkas dengan aman dan bagikan hanya sesuai aturan pelindungan data pribadi.</translation>
    </message>
    <message>
        <source>&amp;Save as…</source>
        <translation>&amp;Simpan sebagai…</translation>
    </message>
    <message>
        <source>&amp;Format:</source>
        <translation>&amp;Format:</translation>
    </message>
    <message>
        <source>Open311 is open data: it never holds personal data.</source>
        <translation>Open311 adalah data terbuka: tidak pernah memuat data pribadi.</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>Filter by status</source>
        <translation>Saring menurut status</translation>
    </message>
    <message>
        <source>Filter by category</source>
        <translation>Saring menurut kategori</translation>
    </message>
    <message>
        <source>Filter by unit</source>
        <translation>Saring menurut unit kerja</translation>
    </message>
    <message>
        <source>Filter by channel</source>
        <translation>Saring menurut saluran</translation>
    </message>
    <message>
        <source>Filter by date received</source>
        <translation>Saring menurut tanggal diterima</translation>
    </message>
    <message>
        <source>Filter by deadline state</source>
        <translation>Saring menurut keadaan tenggat</translation>
    </message>
    <message>
        <source>Received from</source>
        <translation>Diterima sejak</translation>
    </message>
    <message>
        <source>Received until</source>
        <translation>Diterima sampai</translation>
    </message>
    <message>
        <source>&amp;Reset</source>
        <translation>&amp;Atur Ulang</translation>
    </message>
    <message>
        <source>Clear every filter and the search</source>
        <translation>Kosongkan semua filter dan pencarian</translation>
    </message>
    <message>
        <source>Reset filters</source>
        <translation>Atur ulang filter</translation>
    </message>
    <message>
        <source>All channels</source>
        <translation>Semua saluran</translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>Semua waktu</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>7 hari terakhir</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>30 hari terakhir</translation>
    </message>
    <message>
        <source>This year</source>
        <translation>Tahun ini</translation>
    </message>
    <message>
        <source>Date range…</source>
        <translation>Rentang tanggal…</translation>
    </message>
    <message>
        <source>All deadlines</source>
        <translation>Semua tenggat</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>Semua kategori</translation>
    </message>
    <message>
        <source>All units</source>
        <translation>Semua unit kerja</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>Semua status</translation>
    </message>
</context>
<context>
    <name>ListExport</name>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Buku kerja Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Open311 JSON (*.json)</source>
        <translation>Open311 JSON (*.json)</translation>
    </message>
    <message>
        <source>Open311 XML (*.xml)</source>
        <translation>Open311 XML (*.xml)</translation>
    </message>
    <message>
        <source>Export complaints as</source>
        <translation>Ekspor laporan sebagai</translation>
    </message>
    <message numerus="yes">
        <source>%Ln complaint(s) exported to:</source>
        <translation>
            <numerusform>%Ln laporan diekspor ke:</numerusform>
        </translation>
    </message>
    <message>
        <source>Export finished</source>
        <translation>Ekspor selesai</translation>
    </message>
    <message>
        <source>The file holds reporters&apos; personal data; the export is recorded in the audit log.</source>
        <translation>Berkas ini memuat data pribadi pelapor; ekspornya dicatat di log audit.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln confidential complaint(s): their content is not in the file.</source>
        <translation>
            <numerusform>%Ln laporan rahasia: isinya tidak dimuat dalam berkas.</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot export</source>
        <translation>Tidak dapat mengekspor</translation>
    </message>
</context>
<context>
    <name>SelectionBar</name>
    <message>
        <source>Verify and dispose all…</source>
        <translation>Verifikasi dan disposisikan semua…</translation>
    </message>
    <message>
        <source>Archive all…</source>
        <translation>Arsipkan semua…</translation>
    </message>
    <message>
        <source>Clear selection</source>
        <translation>Batalkan pilihan</translation>
    </message>
    <message numerus="yes">
        <source>%n complaints selected</source>
        <translation>
            <numerusform>%n laporan dipilih</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>At most %n complaints at once.</source>
        <translation>
            <numerusform>Paling banyak %n laporan sekaligus.</numerusform>
        </translation>
    </message>
    <message>
        <source>Not every selected complaint can take this step now (its status, or your role).</source>
        <translation>Tidak semua laporan terpilih dapat menjalani langkah ini sekarang (karena statusnya, atau peran Anda).</translation>
    </message>
</context>
</TS>
