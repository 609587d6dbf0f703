<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id">
<context>
    <name>Attachments</name>
    <message>
        <source>PDF document</source>
        <translation>Dokumen PDF</translation>
    </message>
    <message>
        <source>Image (%1)</source>
        <translation>Gambar (%1)</translation>
    </message>
    <message>
        <source>Audio (%1)</source>
        <translation>Audio (%1)</translation>
    </message>
    <message>
        <source>Video (%1)</source>
        <translation>Video (%1)</translation>
    </message>
    <message>
        <source>Document (%1)</source>
        <translation>Dokumen (%1)</translation>
    </message>
</context>
<context>
    <name>AttachmentsSection</name>
    <message>
        <source>Attachments</source>
        <translation>Lampiran</translation>
    </message>
    <message numerus="yes">
        <source>Attachments (%n)</source>
        <translation>
            <numerusform>Lampiran (%n)</numerusform>
        </translation>
    </message>
    <message>
        <source>No attachments.</source>
        <translation>Tidak ada lampiran.</translation>
    </message>
    <message>
        <source>not downloaded yet: available after the next sync</source>
        <translation>belum diunduh: tersedia setelah sinkronisasi berikutnya</translation>
    </message>
    <message>
        <source>Pre&amp;view</source>
        <translation>&amp;Pratinjau</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>&amp;Buka</translation>
    </message>
    <message>
        <source>Save &amp;as…</source>
        <translation>&amp;Simpan sebagai…</translation>
    </message>
    <message>
        <source>The file of &quot;%1&quot; is not on this PC yet. Sync, then try again.</source>
        <translation>Berkas &quot;%1&quot; belum ada di PC ini. Lakukan sinkronisasi, lalu coba lagi.</translation>
    </message>
    <message>
        <source>Save attachment as</source>
        <translation>Simpan lampiran sebagai</translation>
    </message>
    <message>
        <source>Saved to %1</source>
        <translation>Disimpan ke %1</translation>
    </message>
</context>
<context>
    <name>ComplaintDetailWidget</name>
    <message>
        <source>Complaint detail</source>
        <translation>Rincian laporan</translation>
    </message>
    <message>
        <source>No complaint selected</source>
        <translation>Belum ada laporan yang dipilih</translation>
    </message>
    <message>
        <source>Choose a complaint in the list to see its details, timeline and the steps you can take.</source>
        <translation>Pilih laporan di daftar untuk melihat rincian, riwayat, dan langkah yang dapat Anda ambil.</translation>
    </message>
    <message>
        <source>This complaint cannot be shown</source>
        <translation>Laporan ini tidak dapat ditampilkan</translation>
    </message>
</context>
<context>
    <name>DeadlinesSection</name>
    <message>
        <source>Deadlines</source>
        <translation>Tenggat</translation>
    </message>
    <message>
        <source>No running deadline: the complaint is no longer open.</source>
        <translation>Tidak ada tenggat berjalan: laporan ini sudah tidak terbuka.</translation>
    </message>
    <message>
        <source>Deadline state</source>
        <translation>Status tenggat</translation>
    </message>
    <message>
        <source>due %1</source>
        <translation>jatuh tempo %1</translation>
    </message>
    <message>
        <source>due %1 (estimate)</source>
        <translation>jatuh tempo %1 (perkiraan)</translation>
    </message>
    <message>
        <source>Counted past the end of the holiday calendar: national holidays and cuti bersama after that are not known yet. Update LAPOR Desk or sync to get the new calendar.</source>
        <translation>Dihitung melewati akhir kalender hari libur: hari libur nasional dan cuti bersama sesudahnya belum diketahui. Perbarui LAPOR Desk atau lakukan sinkronisasi agar kalender baru terpasang.</translation>
    </message>
</context>
<context>
    <name>DescriptionSection</name>
    <message>
        <source>Description</source>
        <translation>Uraian</translation>
    </message>
</context>
<context>
    <name>DetailFormat</name>
    <message numerus="yes">
        <source>%Ln hour(s) late</source>
        <translation>
            <numerusform>terlambat %Ln jam</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln hour(s) left</source>
        <translation>
            <numerusform>%Ln jam lagi</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln day(s) late</source>
        <translation>
            <numerusform>terlambat %Ln hari</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln day(s) left</source>
        <translation>
            <numerusform>%Ln hari lagi</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DetailPrinting</name>
    <message>
        <source>Print &amp;receipt…</source>
        <translation>Cetak &amp;tanda terima…</translation>
    </message>
    <message>
        <source>Print status &amp;letter…</source>
        <translation>Cetak surat &amp;status…</translation>
    </message>
    <message>
        <source>Save receipt as &amp;PDF…</source>
        <translation>Simpan tanda terima sebagai &amp;PDF…</translation>
    </message>
    <message>
        <source>Save status letter as P&amp;DF…</source>
        <translation>Simpan surat status sebagai P&amp;DF…</translation>
    </message>
    <message>
        <source>PDF saved</source>
        <translation>PDF tersimpan</translation>
    </message>
    <message>
        <source>Saved as %1</source>
        <translation>Disimpan sebagai %1</translation>
    </message>
</context>
<context>
    <name>FactsSection</name>
    <message>
        <source>Details</source>
        <translation>Rincian</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Kategori</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>belum diisi</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Unit kerja</translation>
    </message>
    <message>
        <source>not yet dispositioned</source>
        <translation>belum didisposisikan</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Wilayah</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Lokasi</translation>
    </message>
    <message>
        <source>Coordinates</source>
        <translation>Koordinat</translation>
    </message>
    <message>
        <source>Incident date</source>
        <translation>Tanggal kejadian</translation>
    </message>
    <message>
        <source>not known</source>
        <translation>tidak diketahui</translation>
    </message>
    <message>
        <source>Archive reason</source>
        <translation>Alasan pengarsipan</translation>
    </message>
</context>
<context>
    <name>HeaderView</name>
    <message>
        <source>Tracking code</source>
        <translation>Kode pelacakan</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Judul</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>received %1</source>
        <translation>diterima %1</translation>
    </message>
    <message>
        <source>Anonymous</source>
        <translation>Anonim</translation>
    </message>
    <message>
        <source>Confidential</source>
        <translation>Rahasia</translation>
    </message>
    <message>
        <source>Supervisory</source>
        <translation>Berkadar pengawasan</translation>
    </message>
</context>
<context>
    <name>PreviewDialog</name>
    <message>
        <source>Preview: %1</source>
        <translation>Pratinjau: %1</translation>
    </message>
    <message>
        <source>This file cannot be previewed. Use Open to view it.</source>
        <translation>Berkas ini tidak dapat dipratinjau. Gunakan Buka untuk melihatnya.</translation>
    </message>
    <message>
        <source>Preview of %1</source>
        <translation>Pratinjau %1</translation>
    </message>
    <message numerus="yes">
        <source>Page 1 of %n</source>
        <translation>
            <numerusform>Halaman 1 dari %n</numerusform>
        </translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
</context>
<context>
    <name>ReporterSection</name>
    <message>
        <source>Reporter</source>
        <translation>Pelapor</translation>
    </message>
    <message>
        <source>Identity withheld</source>
        <translation>Identitas dirahasiakan</translation>
    </message>
    <message>
        <source>Identity not shown for your role</source>
        <translation>Identitas tidak ditampilkan untuk peran Anda</translation>
    </message>
    <message>
        <source>The reporter asked to stay anonymous. Only the office administrator sees who it is.</source>
        <translation>Pelapor meminta tetap anonim. Hanya admin instansi yang dapat melihat identitasnya.</translation>
    </message>
    <message>
        <source>Anonymous: do not pass this identity on</source>
        <translation>Anonim: jangan sebarkan identitas ini</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <source>NIK</source>
        <translation>NIK</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Telepon</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>Surel</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Alamat</translation>
    </message>
    <message>
        <source>Assistance needs</source>
        <translation>Kebutuhan pendampingan</translation>
    </message>
    <message>
        <source>No contact details recorded.</source>
        <translation>Tidak ada data kontak yang tercatat.</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <source>Title</source>
        <translation>Judul</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Uraian</translation>
    </message>
    <message>
        <source>Classification</source>
        <translation>Klasifikasi</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Kategori</translation>
    </message>
    <message>
        <source>Incident date</source>
        <translation>Tanggal kejadian</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>Wilayah</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Lokasi</translation>
    </message>
    <message>
        <source>Latitude</source>
        <translation>Lintang</translation>
    </message>
    <message>
        <source>Longitude</source>
        <translation>Bujur</translation>
    </message>
    <message>
        <source>Supervisory</source>
        <translation>Berkadar pengawasan</translation>
    </message>
    <message>
        <source>Confidential</source>
        <translation>Rahasia</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Unit kerja</translation>
    </message>
    <message>
        <source>To unit: %1</source>
        <translation>Ke unit kerja: %1</translation>
    </message>
    <message>
        <source>Reason: %1</source>
        <translation>Alasan: %1</translation>
    </message>
    <message>
        <source>Requested: %1</source>
        <translation>Diminta: %1</translation>
    </message>
    <message>
        <source>the complaint&apos;s status had changed in the meantime</source>
        <translation>status laporan sudah berubah lebih dahulu</translation>
    </message>
    <message>
        <source>this role may not make that change</source>
        <translation>peran ini tidak berwenang melakukan perubahan tersebut</translation>
    </message>
    <message>
        <source>Refused because %1.</source>
        <translation>Ditolak karena %1.</translation>
    </message>
    <message>
        <source>Suggested office: %1</source>
        <translation>Instansi yang disarankan: %1</translation>
    </message>
    <message>
        <source>The reporter is satisfied.</source>
        <translation>Pelapor puas.</translation>
    </message>
    <message>
        <source>The reporter is not satisfied.</source>
        <translation>Pelapor tidak puas.</translation>
    </message>
    <message>
        <source>%1: this PC had %2, the server has %3</source>
        <translation>%1: di PC ini %2, di server %3</translation>
    </message>
    <message>
        <source>Review it in the sync conflicts queue.</source>
        <translation>Tinjau di antrean konflik sinkronisasi.</translation>
    </message>
    <message>
        <source>System</source>
        <translation>Sistem</translation>
    </message>
    <message>
        <source>⚠ Needs attention</source>
        <translation>⚠ Perlu perhatian</translation>
    </message>
</context>
<context>
    <name>TimelineSection</name>
    <message>
        <source>Timeline</source>
        <translation>Riwayat</translation>
    </message>
    <message numerus="yes">
        <source>Timeline (%n event(s), newest first)</source>
        <translation>
            <numerusform>Riwayat (%n kejadian, terbaru di atas)</numerusform>
        </translation>
    </message>
    <message>
        <source>No events yet.</source>
        <translation>Belum ada kejadian.</translation>
    </message>
</context>
</TS>
