<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id">
<context>
    <name>AttachmentCheck</name>
    <message>
        <source>%1 is refused: programs, scripts and macro documents can harm this PC. Ask for a PDF, a photo or a plain document instead.</source>
        <translation>%1 ditolak: program, skrip, dan dokumen bermakro dapat merusak PC ini. Mintalah PDF, foto, atau dokumen biasa sebagai gantinya.</translation>
    </message>
    <message>
        <source>%1 is refused: this type of file is not kept. Use PDF, images (JPG, PNG), Office documents, text, audio or video.</source>
        <translation>%1 ditolak: jenis berkas ini tidak disimpan. Gunakan PDF, gambar (JPG, PNG), dokumen Office, teks, audio atau video.</translation>
    </message>
    <message>
        <source>%1 is refused: it is a folder or a device, not a file.</source>
        <translation>%1 ditolak: itu folder atau perangkat, bukan berkas.</translation>
    </message>
    <message>
        <source>%1 is refused: the file is no longer there.</source>
        <translation>%1 ditolak: berkasnya sudah tidak ada.</translation>
    </message>
    <message>
        <source>%1 is refused: it cannot be read (%2).</source>
        <translation>%1 ditolak: berkas tidak dapat dibaca (%2).</translation>
    </message>
    <message>
        <source>%1 is refused: the file is empty.</source>
        <translation>%1 ditolak: berkasnya kosong.</translation>
    </message>
    <message>
        <source>%1 is refused: it is too large (%2 MB; at most %3 MB).</source>
        <translation>%1 ditolak: terlalu besar (%2 MB; paling besar %3 MB).</translation>
    </message>
    <message>
        <source>%1 is refused: despite its name it holds a program or script, which can harm this PC.</source>
        <translation>%1 ditolak: meski namanya demikian, isinya program atau skrip yang dapat merusak PC ini.</translation>
    </message>
</context>
<context>
    <name>AttachmentsSection</name>
    <message>
        <source>Files to attach</source>
        <translation>Berkas yang akan dilampirkan</translation>
    </message>
    <message>
        <source>Add files…</source>
        <translation>Tambah berkas…</translation>
    </message>
    <message>
        <source>From the scanner…</source>
        <translation>Dari pemindai…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Hapus</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Berkas</translation>
    </message>
    <message>
        <source>Optional: a letter, photos, a recording. PDF, images, Office documents, text, audio or video; at most %1 MB each.</source>
        <translation>Boleh dikosongkan: surat, foto, rekaman. PDF, gambar, dokumen Office, teks, audio atau video; paling besar %1 MB per berkas.</translation>
    </message>
    <message>
        <source>Scanned files, newest first</source>
        <translation>Hasil pindaian, terbaru di atas</translation>
    </message>
    <message>
        <source>Attach the selected page</source>
        <translation>Lampirkan halaman yang dipilih</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Muat ulang</translation>
    </message>
    <message>
        <source>Choose the scanner folder…</source>
        <translation>Pilih folder pemindai…</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>Lampiran</translation>
    </message>
    <message>
        <source>Choose files to attach</source>
        <translation>Pilih berkas untuk dilampirkan</translation>
    </message>
    <message>
        <source>Files that may be attached (%1)</source>
        <translation>Berkas yang dapat dilampirkan (%1)</translation>
    </message>
    <message>
        <source>The folder your scanner saves its pages in</source>
        <translation>Folder tempat pemindai menyimpan hasil pindaiannya</translation>
    </message>
    <message>
        <source>No scanner folder is set.</source>
        <translation>Folder pemindai belum diatur.</translation>
    </message>
    <message>
        <source>Newest first, from %1</source>
        <translation>Terbaru di atas, dari %1</translation>
    </message>
    <message>
        <source>The scanner folder %1 cannot be read (%2). Check that the scanner PC or share is on, or choose another folder.</source>
        <translation>Folder pemindai %1 tidak dapat dibaca (%2). Periksa apakah PC pemindai atau folder bersamanya menyala, atau pilih folder lain.</translation>
    </message>
    <message>
        <source>no pages yet</source>
        <translation>belum ada halaman</translation>
    </message>
</context>
<context>
    <name>CategorySection</name>
    <message>
        <source>— not chosen yet (type to search) —</source>
        <translation>— belum dipilih (ketik untuk mencari) —</translation>
    </message>
    <message>
        <source>Suggested from similar past reports:</source>
        <translation>Saran dari laporan serupa sebelumnya:</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Kategori</translation>
    </message>
    <message>
        <source>Optional; the verifier can set or change it.</source>
        <translation>Boleh dikosongkan; petugas verifikasi dapat mengisi atau mengubahnya.</translation>
    </message>
    <message>
        <source>Use this category</source>
        <translation>Pakai kategori ini</translation>
    </message>
    <message>
        <source>Suggested category: %1</source>
        <translation>Saran kategori: %1</translation>
    </message>
</context>
<context>
    <name>ConsentSection</name>
    <message>
        <source>I agree that my personal data is recorded and used to handle my report</source>
        <translation>Saya setuju data pribadi saya dicatat dan digunakan untuk menangani laporan saya</translation>
    </message>
    <message>
        <source>The reporter agrees that their personal data is recorded and used to handle this report</source>
        <translation>Pelapor setuju data pribadinya dicatat dan digunakan untuk menangani laporan ini</translation>
    </message>
    <message>
        <source>Consent</source>
        <translation>Persetujuan</translation>
    </message>
    <message>
        <source>Your consent</source>
        <translation>Persetujuan Anda</translation>
    </message>
    <message>
        <source>Read it to the reporter, or let them read it, and tick only when they agree.</source>
        <translation>Bacakan kepada pelapor, atau biarkan pelapor membacanya sendiri, dan centang hanya jika pelapor setuju.</translation>
    </message>
    <message>
        <source>We record your name, NIK, phone number, e-mail, address and any help you need only to handle this report: to check it, pass it to the unit responsible and tell you what was done. Only the staff handling it see these details; they never appear on any public page. You may ask to see, correct or delete your data, and withdraw this consent (Law 27 of 2022 on Personal Data Protection). Without consent you can still report anonymously, without your personal data.</source>
        <translation>Kami mencatat nama, NIK, nomor telepon, e-mail, alamat, dan bantuan yang Anda perlukan hanya untuk menangani laporan ini: memeriksanya, meneruskannya ke unit yang berwenang, dan memberi tahu Anda apa yang sudah dilakukan. Hanya petugas yang menanganinya yang melihat data ini; data ini tidak pernah tampil di halaman publik mana pun. Anda berhak melihat, membetulkan, atau meminta penghapusan data Anda, serta menarik persetujuan ini (UU Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi). Tanpa persetujuan, Anda tetap dapat melapor secara anonim, tanpa data pribadi.</translation>
    </message>
    <message>
        <source>The reporter&apos;s name, NIK, phone number, e-mail, address and assistance needs are recorded only to handle this report: to verify it, pass it to the responsible unit and tell the reporter what was done. Only the staff handling it see them; they never appear in public outputs. The reporter may ask to see, correct or delete their data and may withdraw consent (UU 27/2022 on Personal Data Protection). Without consent, the report can still be taken in anonymously, without personal data.</source>
        <translation>Nama, NIK, nomor telepon, e-mail, alamat, dan kebutuhan bantuan pelapor dicatat hanya untuk menangani laporan ini: memverifikasinya, meneruskannya ke unit yang berwenang, dan memberi tahu pelapor apa yang sudah dilakukan. Hanya petugas yang menanganinya yang melihat data ini; data ini tidak pernah tampil di keluaran publik. Pelapor berhak melihat, membetulkan, atau meminta penghapusan datanya, dan dapat menarik persetujuannya (UU 27/2022 tentang Pelindungan Data Pribadi). Tanpa persetujuan, laporan tetap dapat dicatat secara anonim, tanpa data pribadi.</translation>
    </message>
    <message>
        <source>Personal data</source>
        <translation>Data pribadi</translation>
    </message>
    <message>
        <source>Your personal data</source>
        <translation>Data pribadi Anda</translation>
    </message>
</context>
<context>
    <name>DonePage</name>
    <message>
        <source>Tracking code</source>
        <translation>Kode pelacakan</translation>
    </message>
    <message>
        <source>Status PIN</source>
        <translation>PIN status</translation>
    </message>
    <message>
        <source>The complaint is saved on this PC and goes to the server at the next sync.</source>
        <translation>Laporan tersimpan di PC ini dan terkirim ke server pada sinkronisasi berikutnya.</translation>
    </message>
    <message>
        <source>&amp;Print receipt…</source>
        <translation>&amp;Cetak tanda terima…</translation>
    </message>
    <message>
        <source>Save receipt as P&amp;DF…</source>
        <translation>Simpan tanda terima sebagai P&amp;DF…</translation>
    </message>
    <message>
        <source>New complaint</source>
        <translation>Laporan baru</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
    <message>
        <source>Status PIN: %1</source>
        <translation>PIN status: %1</translation>
    </message>
    <message>
        <source>Added to an existing complaint</source>
        <translation>Digabungkan ke laporan yang sudah ada</translation>
    </message>
    <message>
        <source>The account was added to complaint %1 as a note on its timeline; no new complaint was made. Give the reporter this code: the matter is handled under it.</source>
        <translation>Uraian ini ditambahkan ke laporan %1 sebagai catatan pada riwayatnya; tidak ada laporan baru yang dibuat. Berikan kode ini kepada pelapor: perkaranya ditangani dengan kode tersebut.</translation>
    </message>
    <message>
        <source>Complaint registered</source>
        <translation>Laporan tercatat</translation>
    </message>
    <message>
        <source>Give the reporter this tracking code: with it they can follow the complaint at the counter or on the status page.</source>
        <translation>Berikan kode pelacakan ini kepada pelapor: dengan kode ini pelapor dapat memantau laporannya di loket atau di halaman status.</translation>
    </message>
    <message>
        <source>These files could not be attached:</source>
        <translation>Berkas berikut tidak dapat dilampirkan:</translation>
    </message>
</context>
<context>
    <name>DuplicateModel</name>
    <message>
        <source>Tracking code</source>
        <translation>Kode pelacakan</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Diterima</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Judul</translation>
    </message>
    <message>
        <source>Why it looks the same</source>
        <translation>Mengapa tampak sama</translation>
    </message>
    <message>
        <source>same NIK</source>
        <translation>NIK sama</translation>
    </message>
    <message>
        <source>same phone number</source>
        <translation>nomor telepon sama</translation>
    </message>
    <message>
        <source>similar text, same village</source>
        <translation>isi mirip, desa sama</translation>
    </message>
</context>
<context>
    <name>DuplicatePanel</name>
    <message>
        <source>This may have been reported already</source>
        <translation>Laporan ini mungkin sudah pernah diterima</translation>
    </message>
    <message>
        <source>The office received these in the last 30 days from the same NIK or phone number, or with much the same words in the same village. Ask the reporter whether one of them is the same matter.</source>
        <translation>Dalam 30 hari terakhir kantor menerima laporan berikut dengan NIK atau nomor telepon yang sama, atau dengan isi yang sangat mirip di desa yang sama. Tanyakan kepada pelapor apakah salah satunya perkara yang sama.</translation>
    </message>
    <message>
        <source>Likely duplicates</source>
        <translation>Kemungkinan duplikat</translation>
    </message>
    <message>
        <source>Link: this account is added to the selected complaint as a note on its timeline; no new complaint and no new code. The reporter&apos;s identity is not copied there.
Register: it is taken in as a complaint of its own, with a new tracking code.</source>
        <translation>Gabungkan: uraian ini ditambahkan ke laporan yang dipilih sebagai catatan pada riwayatnya; tanpa laporan baru dan tanpa kode baru. Identitas pelapor tidak disalin ke sana.
Daftarkan: dicatat sebagai laporan tersendiri dengan kode pelacakan baru.</translation>
    </message>
    <message>
        <source>Back to the form</source>
        <translation>Kembali ke formulir</translation>
    </message>
    <message>
        <source>Register as a new complaint</source>
        <translation>Daftarkan sebagai laporan baru</translation>
    </message>
    <message>
        <source>Link to this complaint</source>
        <translation>Gabungkan ke laporan ini</translation>
    </message>
</context>
<context>
    <name>KindSection</name>
    <message>
        <source>Classification</source>
        <translation>Klasifikasi</translation>
    </message>
    <message>
        <source>What would you like to do?</source>
        <translation>Apa yang ingin Anda sampaikan?</translation>
    </message>
    <message>
        <source>— how did the report arrive? —</source>
        <translation>— laporan masuk lewat apa? —</translation>
    </message>
    <message>
        <source>Received by</source>
        <translation>Diterima melalui</translation>
    </message>
    <message>
        <source>Walk-in, letter, phone, e-mail, social media or SMS/WhatsApp: it decides how the office reaches the reporter.</source>
        <translation>Datang langsung, surat, telepon, e-mail, media sosial atau SMS/WhatsApp: menentukan cara kantor menghubungi pelapor.</translation>
    </message>
    <message>
        <source>Complain about a service</source>
        <translation>Mengadukan layanan</translation>
    </message>
    <message>
        <source>Something went wrong: a service was refused, slow, unfair or charged for when it should not be.</source>
        <translation>Ada yang tidak beres: layanan ditolak, lambat, tidak adil, atau dipungut biaya padahal seharusnya tidak.</translation>
    </message>
    <message>
        <source>Give a suggestion</source>
        <translation>Menyampaikan saran</translation>
    </message>
    <message>
        <source>An idea to make a service better. Nothing went wrong.</source>
        <translation>Usul agar layanan menjadi lebih baik. Tidak ada yang dikeluhkan.</translation>
    </message>
    <message>
        <source>Ask for information</source>
        <translation>Meminta informasi</translation>
    </message>
    <message>
        <source>A question about a service, or a request for public information. You get an answer within 5 working days.</source>
        <translation>Pertanyaan tentang layanan, atau permintaan informasi publik. Anda mendapat jawaban dalam 5 hari kerja.</translation>
    </message>
    <message>
        <source>Complaint (pengaduan)</source>
        <translation>Pengaduan</translation>
    </message>
    <message>
        <source>A public service was not delivered as it should be or harmed someone: refused, slow, an illegal fee, a road left broken.</source>
        <translation>Layanan publik tidak diberikan sebagaimana mestinya atau merugikan: ditolak, lambat, pungutan liar, jalan rusak dibiarkan.</translation>
    </message>
    <message>
        <source>Aspiration (aspirasi)</source>
        <translation>Aspirasi</translation>
    </message>
    <message>
        <source>A suggestion or idea to improve a service; nothing is being complained about.</source>
        <translation>Saran atau gagasan untuk memperbaiki layanan; tidak ada yang dikeluhkan.</translation>
    </message>
    <message>
        <source>Information request (permintaan informasi)</source>
        <translation>Permintaan informasi</translation>
    </message>
    <message>
        <source>A question or a request for public information; to be answered within 5 working days.</source>
        <translation>Pertanyaan atau permintaan informasi publik; dijawab dalam 5 hari kerja.</translation>
    </message>
    <message>
        <source>Your report</source>
        <translation>Laporan Anda</translation>
    </message>
    <message>
        <source>Kind of report</source>
        <translation>Jenis laporan</translation>
    </message>
</context>
<context>
    <name>RegionPicker</name>
    <message>
        <source>Search a village, district or regency by name, or type its code</source>
        <translation>Cari desa, kecamatan atau kabupaten menurut namanya, atau ketik kodenya</translation>
    </message>
    <message>
        <source>Search region</source>
        <translation>Cari wilayah</translation>
    </message>
    <message>
        <source>Province</source>
        <translation>Provinsi</translation>
    </message>
    <message>
        <source>Regency / city</source>
        <translation>Kabupaten / kota</translation>
    </message>
    <message>
        <source>District (kecamatan)</source>
        <translation>Kecamatan</translation>
    </message>
    <message>
        <source>Village (desa / kelurahan)</source>
        <translation>Desa / kelurahan</translation>
    </message>
    <message>
        <source>— choose —</source>
        <translation>— pilih —</translation>
    </message>
    <message>
        <source>province</source>
        <translation>provinsi</translation>
    </message>
    <message>
        <source>regency/city</source>
        <translation>kabupaten/kota</translation>
    </message>
    <message>
        <source>district</source>
        <translation>kecamatan</translation>
    </message>
    <message>
        <source>village</source>
        <translation>desa/kelurahan</translation>
    </message>
    <message>
        <source>Region code: %1</source>
        <translation>Kode wilayah: %1</translation>
    </message>
    <message>
        <source>No region chosen</source>
        <translation>Belum ada wilayah yang dipilih</translation>
    </message>
</context>
<context>
    <name>ReporterSection</name>
    <message>
        <source>Keep my identity hidden (anonymous)</source>
        <translation>Rahasiakan identitas saya (anonim)</translation>
    </message>
    <message>
        <source>Anonymous (anonim)</source>
        <translation>Anonim</translation>
    </message>
    <message>
        <source>Only the office&apos;s administrator can see who you are; other staff and every printout or export do not. You may leave your name empty; a phone number lets us reach you.</source>
        <translation>Hanya admin instansi yang dapat melihat siapa Anda; petugas lain serta semua cetakan dan ekspor tidak. Nama boleh dikosongkan; dengan nomor telepon kami tetap dapat menghubungi Anda.</translation>
    </message>
    <message>
        <source>The reporter&apos;s name and contact are hidden from every staff member except the office admin, and never leave in exports. The name may stay empty; a phone number still lets the office reach them.</source>
        <translation>Nama dan kontak pelapor disembunyikan dari semua petugas kecuali admin instansi, dan tidak pernah ikut diekspor. Nama boleh dikosongkan; dengan nomor telepon kantor tetap dapat menghubungi pelapor.</translation>
    </message>
    <message>
        <source>Keep my report out of public view (confidential)</source>
        <translation>Jangan tampilkan laporan saya kepada publik (rahasia)</translation>
    </message>
    <message>
        <source>Confidential (rahasia)</source>
        <translation>Rahasia</translation>
    </message>
    <message>
        <source>Your report itself never appears on public pages or in public statistics. Choose this if it could put you or others at risk.</source>
        <translation>Laporan Anda tidak pernah tampil di halaman publik maupun statistik publik. Pilih ini jika laporan dapat membahayakan Anda atau orang lain.</translation>
    </message>
    <message>
        <source>The complaint itself never appears in any public output (status page details, public statistics). Use it when the matter could put the reporter or others at risk.</source>
        <translation>Laporan ini tidak pernah tampil di keluaran publik mana pun (rincian halaman status, statistik publik). Gunakan jika perkaranya dapat membahayakan pelapor atau orang lain.</translation>
    </message>
    <message>
        <source>Privacy</source>
        <translation>Kerahasiaan</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>Nama Anda</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <source>16 digits, as on the KTP</source>
        <translation>16 digit, sesuai KTP</translation>
    </message>
    <message>
        <source>NIK</source>
        <translation>NIK</translation>
    </message>
    <message>
        <source>Optional. Checked as it is typed: 16 digits, a real district code, a real date of birth.</source>
        <translation>Boleh dikosongkan. Diperiksa saat diketik: 16 digit, kode kecamatan yang benar, tanggal lahir yang benar.</translation>
    </message>
    <message>
        <source>e.g. 0812 3456 7890</source>
        <translation>mis. 0812 3456 7890</translation>
    </message>
    <message>
        <source>Phone / WhatsApp</source>
        <translation>Telepon / WhatsApp</translation>
    </message>
    <message>
        <source>e.g. name@example.com</source>
        <translation>mis. nama@contoh.com</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Your address</source>
        <translation>Alamat Anda</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Alamat</translation>
    </message>
    <message>
        <source>e.g. wheelchair user; deaf, needs a sign language interpreter</source>
        <translation>mis. pengguna kursi roda; tunarungu, perlu juru bahasa isyarat</translation>
    </message>
    <message>
        <source>wheelchair user</source>
        <translation>pengguna kursi roda</translation>
    </message>
    <message>
        <source>blind or low vision</source>
        <translation>tunanetra atau penglihatan terbatas</translation>
    </message>
    <message>
        <source>deaf, needs a sign language interpreter</source>
        <translation>tunarungu, perlu juru bahasa isyarat</translation>
    </message>
    <message>
        <source>speaks only the local language</source>
        <translation>hanya berbahasa daerah</translation>
    </message>
    <message>
        <source>needs help reading and writing</source>
        <translation>perlu bantuan membaca dan menulis</translation>
    </message>
    <message>
        <source>Help you need</source>
        <translation>Bantuan yang Anda perlukan</translation>
    </message>
    <message>
        <source>Assistance needs</source>
        <translation>Kebutuhan bantuan</translation>
    </message>
    <message>
        <source>Disability or language help, only if you tell us.</source>
        <translation>Bantuan karena disabilitas atau bahasa, hanya jika Anda menyampaikannya.</translation>
    </message>
    <message>
        <source>Disability or language help the reporter asks for. Health data: fill it only when the reporter says so.</source>
        <translation>Bantuan karena disabilitas atau bahasa yang diminta pelapor. Ini data kesehatan: isi hanya jika pelapor menyampaikannya.</translation>
    </message>
    <message>
        <source>About you</source>
        <translation>Tentang Anda</translation>
    </message>
    <message>
        <source>Reporter</source>
        <translation>Pelapor</translation>
    </message>
    <message>
        <source>May stay empty for an anonymous report.</source>
        <translation>Boleh dikosongkan untuk laporan anonim.</translation>
    </message>
    <message>
        <source>As on the KTP (identity card).</source>
        <translation>Sesuai KTP.</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>nomor telepon</translation>
    </message>
    <message>
        <source>e-mail</source>
        <translation>e-mail</translation>
    </message>
    <message>
        <source>address</source>
        <translation>alamat</translation>
    </message>
    <message>
        <source> or </source>
        <translation> atau </translation>
    </message>
    <message>
        <source>For a report by %1, give the %2 so the reporter can be reached.</source>
        <translation>Untuk laporan melalui %1, isi %2 agar pelapor dapat dihubungi.</translation>
    </message>
</context>
<context>
    <name>StaffIntakeForm</name>
    <message>
        <source>New complaint</source>
        <translation>Laporan baru</translation>
    </message>
    <message>
        <source>For a report received outside LAPOR!: at the counter, by letter, phone, e-mail, social media or SMS/WhatsApp. Problems show next to their fields as you type; Ctrl+Enter registers.</source>
        <translation>Untuk laporan yang diterima di luar LAPOR!: di loket, lewat surat, telepon, e-mail, media sosial atau SMS/WhatsApp. Masalah tampil di samping kolomnya saat mengetik; Ctrl+Enter untuk mendaftarkan.</translation>
    </message>
    <message>
        <source>New complaint form</source>
        <translation>Formulir laporan baru</translation>
    </message>
    <message>
        <source>Form message</source>
        <translation>Pesan formulir</translation>
    </message>
    <message>
        <source>Discard…</source>
        <translation>Buang…</translation>
    </message>
    <message>
        <source>Empty the form and delete its draft</source>
        <translation>Kosongkan formulir dan hapus drafnya</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
    <message>
        <source>What was typed is kept as a draft and offered back next time</source>
        <translation>Isian disimpan sebagai draf dan ditawarkan lagi saat formulir dibuka berikutnya</translation>
    </message>
    <message>
        <source>Register complaint</source>
        <translation>Daftarkan laporan</translation>
    </message>
    <message>
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Enter</translation>
    </message>
    <message>
        <source>There is an unfinished draft from %1. Continue the unfinished draft?</source>
        <translation>Ada draf dari %1. Lanjutkan draf yang belum selesai?</translation>
    </message>
    <message>
        <source>Continue the draft</source>
        <translation>Lanjutkan draf</translation>
    </message>
    <message>
        <source>Discard it and start anew</source>
        <translation>Buang draf dan mulai baru</translation>
    </message>
    <message>
        <source>Empty the form and delete its draft? What was typed is lost.</source>
        <translation>Kosongkan formulir dan hapus drafnya? Semua isian akan hilang.</translation>
    </message>
    <message>
        <source>Yes, discard</source>
        <translation>Ya, buang</translation>
    </message>
    <message>
        <source>No, keep it</source>
        <translation>Tidak, simpan</translation>
    </message>
    <message>
        <source>The draft cannot be saved (%1); finish this intake before closing the program.</source>
        <translation>Draf tidak dapat disimpan (%1); selesaikan pencatatan ini sebelum menutup program.</translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s) to fix before the complaint can be registered.</source>
        <translation>
            <numerusform>%n masalah perlu diperbaiki sebelum laporan dapat didaftarkan.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WhatSection</name>
    <message>
        <source>e.g. Road full of holes in front of Pasar Sleman</source>
        <translation>mis. Jalan berlubang di depan Pasar Sleman</translation>
    </message>
    <message>
        <source>In one line</source>
        <translation>Dalam satu kalimat</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Judul</translation>
    </message>
    <message>
        <source>Tell what happened, where exactly, since when, and what you ask for.</source>
        <translation>Ceritakan apa yang terjadi, di mana tepatnya, sejak kapan, dan apa yang Anda minta.</translation>
    </message>
    <message>
        <source>What happened, where exactly, since when, who was involved, what the reporter asks for.</source>
        <translation>Apa yang terjadi, di mana tepatnya, sejak kapan, siapa yang terlibat, dan apa yang diminta pelapor.</translation>
    </message>
    <message>
        <source>Tell us what happened</source>
        <translation>Ceritakan apa yang terjadi</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Uraian</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>Apa yang terjadi</translation>
    </message>
    <message>
        <source>The date is known:</source>
        <translation>Tanggalnya diketahui:</translation>
    </message>
    <message>
        <source>Incident date</source>
        <translation>Tanggal kejadian</translation>
    </message>
    <message>
        <source>When it happened</source>
        <translation>Kapan terjadi</translation>
    </message>
    <message>
        <source>Leave it unticked when the date is not known.</source>
        <translation>Biarkan tidak dicentang jika tanggalnya tidak diketahui.</translation>
    </message>
    <message>
        <source>%1 of at most %2 characters (at least 10).</source>
        <translation>%1 dari paling banyak %2 karakter (paling sedikit 10).</translation>
    </message>
    <message>
        <source>%1 of at most %2 characters (at least 20).</source>
        <translation>%1 dari paling banyak %2 karakter (paling sedikit 20).</translation>
    </message>
</context>
<context>
    <name>WhereSection</name>
    <message>
        <source>Region</source>
        <translation>Wilayah</translation>
    </message>
    <message>
        <source>Street, RT/RW, a landmark nearby</source>
        <translation>Jalan, RT/RW, patokan di dekatnya</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>Lokasi</translation>
    </message>
    <message>
        <source>latitude, e.g. -7.7156</source>
        <translation>lintang, mis. -7.7156</translation>
    </message>
    <message>
        <source>Latitude</source>
        <translation>Lintang</translation>
    </message>
    <message>
        <source>longitude, e.g. 110.3551</source>
        <translation>bujur, mis. 110.3551</translation>
    </message>
    <message>
        <source>Longitude</source>
        <translation>Bujur</translation>
    </message>
    <message>
        <source>Coordinates</source>
        <translation>Koordinat</translation>
    </message>
    <message>
        <source>Optional. A pair copied from a map app (-7.7156, 110.3551) can be pasted into the first box.</source>
        <translation>Boleh dikosongkan. Pasangan koordinat yang disalin dari aplikasi peta (-7.7156, 110.3551) dapat ditempel di kotak pertama.</translation>
    </message>
    <message>
        <source>Where it happened</source>
        <translation>Tempat kejadian</translation>
    </message>
</context>
</TS>
