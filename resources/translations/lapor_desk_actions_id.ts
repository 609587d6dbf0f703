<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id">
<context>
    <name>ActionForm</name>
    <message>
        <source>Form message</source>
        <translation>Pesan formulir</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Simpan</translation>
    </message>
</context>
<context>
    <name>ArchiveForm</name>
    <message>
        <source>Archive</source>
        <translation>Arsipkan</translation>
    </message>
    <message>
        <source>— choose a reason —</source>
        <translation>— pilih alasan —</translation>
    </message>
    <message>
        <source>&amp;Reason</source>
        <translation>&amp;Alasan</translation>
    </message>
    <message>
        <source>e.g. the tracking code of the original complaint</source>
        <translation>mis. kode pelacakan laporan yang asli</translation>
    </message>
    <message>
        <source>&amp;Note</source>
        <translation>&amp;Catatan</translation>
    </message>
</context>
<context>
    <name>AttachForm</name>
    <message>
        <source>Attach files</source>
        <translation>Lampirkan berkas</translation>
    </message>
    <message>
        <source>Attach</source>
        <translation>Lampirkan</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Berkas</translation>
    </message>
    <message>
        <source>PDF, images, Office documents, text, audio or video; at most 20 MB each.</source>
        <translation>PDF, gambar, dokumen Office, teks, audio, atau video; maksimal 20 MB per berkas.</translation>
    </message>
    <message>
        <source>Choose at least one file.</source>
        <translation>Pilih paling sedikit satu berkas.</translation>
    </message>
</context>
<context>
    <name>BulkActions</name>
    <message numerus="yes">
        <source>%n complaint(s):</source>
        <translation>
            <numerusform>%n laporan:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> and %n more</source>
        <translation>
            <numerusform> dan %n lainnya</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BulkArchiveForm</name>
    <message>
        <source>Archive the selection</source>
        <translation>Arsipkan laporan terpilih</translation>
    </message>
</context>
<context>
    <name>BulkDisposeForm</name>
    <message>
        <source>Verify and dispose the selection</source>
        <translation>Verifikasi dan disposisikan laporan terpilih</translation>
    </message>
</context>
<context>
    <name>CloseForm</name>
    <message>
        <source>Close the complaint</source>
        <translation>Selesaikan laporan</translation>
    </message>
    <message>
        <source>Close complaint</source>
        <translation>Selesaikan</translation>
    </message>
    <message>
        <source>How the complaint was resolved (optional)</source>
        <translation>Bagaimana laporan diselesaikan (opsional)</translation>
    </message>
    <message>
        <source>&amp;Closing note</source>
        <translation>&amp;Catatan penyelesaian</translation>
    </message>
</context>
<context>
    <name>ComplaintActions</name>
    <message>
        <source>&amp;Verify and dispose…</source>
        <translation>&amp;Verifikasi dan disposisikan…</translation>
    </message>
    <message>
        <source>&amp;Postpone…</source>
        <translation>&amp;Tunda…</translation>
    </message>
    <message>
        <source>Not our authority: &amp;redirect…</source>
        <translation>Bukan wewenang: a&amp;lihkan…</translation>
    </message>
    <message>
        <source>&amp;Archive…</source>
        <translation>&amp;Arsipkan…</translation>
    </message>
    <message>
        <source>&amp;Follow up…</source>
        <translation>Tindak lan&amp;jut…</translation>
    </message>
    <message>
        <source>&amp;Close complaint…</source>
        <translation>&amp;Selesaikan laporan…</translation>
    </message>
    <message>
        <source>Record reporter&apos;s r&amp;esponse…</source>
        <translation>Catat tanggapan &amp;pelapor…</translation>
    </message>
    <message>
        <source>Clarification recei&amp;ved…</source>
        <translation>&amp;Klarifikasi diterima…</translation>
    </message>
    <message>
        <source>&amp;Un-archive…</source>
        <translation>Keluarkan dari a&amp;rsip…</translation>
    </message>
    <message>
        <source>Re&amp;open…</source>
        <translation>&amp;Buka kembali…</translation>
    </message>
    <message>
        <source>Internal &amp;note…</source>
        <translation>&amp;Catatan internal…</translation>
    </message>
    <message>
        <source>Attac&amp;h files…</source>
        <translation>La&amp;mpirkan berkas…</translation>
    </message>
    <message>
        <source>E&amp;dit details…</source>
        <translation>&amp;Ubah data…</translation>
    </message>
</context>
<context>
    <name>DisposeForm</name>
    <message>
        <source>Verify and dispose</source>
        <translation>Verifikasi dan disposisi</translation>
    </message>
    <message>
        <source>Dispose</source>
        <translation>Disposisikan</translation>
    </message>
    <message>
        <source>— choose a unit —</source>
        <translation>— pilih unit kerja —</translation>
    </message>
    <message>
        <source>&amp;Unit</source>
        <translation>&amp;Unit kerja</translation>
    </message>
    <message>
        <source>What the unit should do, e.g. check on site and reply</source>
        <translation>Apa yang perlu dilakukan unit, mis. cek ke lokasi lalu beri jawaban</translation>
    </message>
    <message>
        <source>&amp;Instruction</source>
        <translation>&amp;Instruksi</translation>
    </message>
    <message>
        <source>Optional. The unit&apos;s liaison sees it on the timeline.</source>
        <translation>Opsional. Admin penghubung unit melihatnya di riwayat.</translation>
    </message>
</context>
<context>
    <name>EditForm</name>
    <message>
        <source>Edit complaint details</source>
        <translation>Ubah data laporan</translation>
    </message>
    <message>
        <source>&amp;Title</source>
        <translation>&amp;Judul</translation>
    </message>
    <message>
        <source>&amp;Description</source>
        <translation>&amp;Uraian</translation>
    </message>
    <message>
        <source>C&amp;lassification</source>
        <translation>&amp;Klasifikasi</translation>
    </message>
    <message>
        <source>— not set —</source>
        <translation>— belum diisi —</translation>
    </message>
    <message>
        <source>&amp;Category</source>
        <translation>Ka&amp;tegori</translation>
    </message>
    <message>
        <source>not known</source>
        <translation>tidak diketahui</translation>
    </message>
    <message>
        <source>&amp;Incident date</source>
        <translation>Tanggal kej&amp;adian</translation>
    </message>
    <message>
        <source>&amp;Region code</source>
        <translation>Kode &amp;wilayah</translation>
    </message>
    <message>
        <source>Kemendagri code of the village, district or regency.</source>
        <translation>Kode Kemendagri desa/kelurahan, kecamatan, atau kabupaten/kota.</translation>
    </message>
    <message>
        <source>&amp;Address</source>
        <translation>Ala&amp;mat</translation>
    </message>
    <message>
        <source>latitude</source>
        <translation>lintang</translation>
    </message>
    <message>
        <source>Latitude</source>
        <translation>Lintang</translation>
    </message>
    <message>
        <source>longitude</source>
        <translation>bujur</translation>
    </message>
    <message>
        <source>Longitude</source>
        <translation>Bujur</translation>
    </message>
    <message>
        <source>C&amp;oordinates</source>
        <translation>K&amp;oordinat</translation>
    </message>
    <message>
        <source>&amp;Supervisory (berkadar pengawasan)</source>
        <translation>&amp;Berkadar pengawasan</translation>
    </message>
    <message>
        <source>Con&amp;fidential</source>
        <translation>&amp;Rahasia</translation>
    </message>
    <message>
        <source>Marks</source>
        <translation>Tanda</translation>
    </message>
    <message>
        <source>Enter numbers, e.g. -7.7156 and 110.3551.</source>
        <translation>Isi dengan angka, mis. -7,7156 dan 110,3551.</translation>
    </message>
    <message>
        <source>Nothing was changed.</source>
        <translation>Tidak ada yang diubah.</translation>
    </message>
</context>
<context>
    <name>FilePicker</name>
    <message>
        <source>Files to attach</source>
        <translation>Berkas yang dilampirkan</translation>
    </message>
    <message>
        <source>&amp;Add files…</source>
        <translation>T&amp;ambah berkas…</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>&amp;Hapus</translation>
    </message>
    <message>
        <source>Choose files to attach</source>
        <translation>Pilih berkas untuk dilampirkan</translation>
    </message>
    <message>
        <source>Supported files (%1)</source>
        <translation>Berkas yang didukung (%1)</translation>
    </message>
    <message>
        <source>%1: unsupported file type. Use PDF, images, Office documents, text, audio or video.</source>
        <translation>%1: jenis berkas tidak didukung. Gunakan PDF, gambar, dokumen Office, teks, audio, atau video.</translation>
    </message>
    <message>
        <source>%1: file not found.</source>
        <translation>%1: berkas tidak ditemukan.</translation>
    </message>
    <message>
        <source>%1: the file is too large (at most %2 MB).</source>
        <translation>%1: berkas terlalu besar (maksimal %2 MB).</translation>
    </message>
</context>
<context>
    <name>FollowUpForm</name>
    <message>
        <source>Follow-up</source>
        <translation>Tindak lanjut</translation>
    </message>
    <message>
        <source>Send follow-up</source>
        <translation>Kirim tindak lanjut</translation>
    </message>
    <message>
        <source>What the unit did or will do, and when</source>
        <translation>Apa yang sudah atau akan dilakukan unit, dan kapan</translation>
    </message>
    <message>
        <source>&amp;Follow-up</source>
        <translation>&amp;Tindak lanjut</translation>
    </message>
    <message>
        <source>The reporter can read this and respond.</source>
        <translation>Pelapor dapat membaca ini dan memberi tanggapan.</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Berkas</translation>
    </message>
</context>
<context>
    <name>NoteForm</name>
    <message>
        <source>Internal note</source>
        <translation>Catatan internal</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>Tambah catatan</translation>
    </message>
    <message>
        <source>&amp;Note</source>
        <translation>&amp;Catatan</translation>
    </message>
    <message>
        <source>Only staff see internal notes.</source>
        <translation>Catatan internal hanya terlihat oleh petugas.</translation>
    </message>
</context>
<context>
    <name>PostponeForm</name>
    <message>
        <source>Postpone: ask the reporter for clarification</source>
        <translation>Tunda: minta klarifikasi pelapor</translation>
    </message>
    <message>
        <source>Postpone</source>
        <translation>Tunda</translation>
    </message>
    <message>
        <source>What is missing, e.g. the exact location or a photo</source>
        <translation>Apa yang kurang, mis. lokasi persis atau foto</translation>
    </message>
</context>
<context>
    <name>RedirectForm</name>
    <message>
        <source>Not our authority: redirect</source>
        <translation>Bukan wewenang: alihkan</translation>
    </message>
    <message>
        <source>Redirect</source>
        <translation>Alihkan</translation>
    </message>
    <message>
        <source>Why this is not the office&apos;s authority</source>
        <translation>Mengapa ini bukan wewenang instansi</translation>
    </message>
    <message>
        <source>e.g. Pemerintah Provinsi, BPJS Kesehatan</source>
        <translation>mis. Pemerintah Provinsi, BPJS Kesehatan</translation>
    </message>
    <message>
        <source>&amp;Suggested office</source>
        <translation>Instansi yang &amp;disarankan</translation>
    </message>
    <message>
        <source>Optional. The national admin routes the complaint on.</source>
        <translation>Opsional. Admin nasional yang meneruskan laporan.</translation>
    </message>
</context>
<context>
    <name>ReopenForm</name>
    <message>
        <source>Reopen</source>
        <translation>Buka kembali</translation>
    </message>
    <message>
        <source>Why the complaint needs handling again</source>
        <translation>Mengapa laporan perlu ditangani lagi</translation>
    </message>
</context>
<context>
    <name>ResponseForm</name>
    <message>
        <source>Record the reporter&apos;s response</source>
        <translation>Catat tanggapan pelapor</translation>
    </message>
    <message>
        <source>Record response</source>
        <translation>Catat tanggapan</translation>
    </message>
    <message>
        <source>&amp;Satisfied</source>
        <translation>&amp;Puas</translation>
    </message>
    <message>
        <source>N&amp;ot satisfied</source>
        <translation>&amp;Tidak puas</translation>
    </message>
    <message>
        <source>Reporter is</source>
        <translation>Pelapor</translation>
    </message>
    <message>
        <source>What the reporter said</source>
        <translation>Apa yang disampaikan pelapor</translation>
    </message>
    <message>
        <source>&amp;Response</source>
        <translation>&amp;Isi tanggapan</translation>
    </message>
    <message>
        <source>Required when the reporter is not satisfied; the complaint goes back to the unit.</source>
        <translation>Wajib diisi bila pelapor tidak puas; laporan dikembalikan ke unit kerja.</translation>
    </message>
</context>
<context>
    <name>ResumeForm</name>
    <message>
        <source>Clarification received</source>
        <translation>Klarifikasi diterima</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Lanjutkan</translation>
    </message>
    <message>
        <source>What the reporter clarified (optional)</source>
        <translation>Klarifikasi dari pelapor (opsional)</translation>
    </message>
    <message>
        <source>&amp;Note</source>
        <translation>&amp;Catatan</translation>
    </message>
</context>
<context>
    <name>UnarchiveForm</name>
    <message>
        <source>Take out of the archive</source>
        <translation>Keluarkan dari arsip</translation>
    </message>
    <message>
        <source>Un-archive</source>
        <translation>Keluarkan dari arsip</translation>
    </message>
    <message>
        <source>Why the complaint is handled again</source>
        <translation>Mengapa laporan ditangani kembali</translation>
    </message>
</context>
<context>
    <name>_Bulk</name>
    <message numerus="yes">
        <source>Nothing was changed: %n of the selected complaints cannot take this step now.</source>
        <translation>
            <numerusform>Tidak ada yang diubah: %n laporan terpilih tidak dapat menjalani langkah ini sekarang.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Go on without them (%n complaints)</source>
        <translation>
            <numerusform>Lanjutkan tanpa laporan itu (%n laporan)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>_FilesForm</name>
    <message>
        <source>These files could not be attached:</source>
        <translation>Berkas berikut tidak dapat dilampirkan:</translation>
    </message>
</context>
<context>
    <name>_ReasonForm</name>
    <message>
        <source>&amp;Reason</source>
        <translation>&amp;Alasan</translation>
    </message>
</context>
</TS>
