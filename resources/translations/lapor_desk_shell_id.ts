<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id">
<context>
    <name>CalendarNotice</name>
    <message>
        <source>Holiday calendar</source>
        <translation>Kalender hari libur</translation>
    </message>
    <message>
        <source>Holiday calendar ended on %1</source>
        <translation>Kalender hari libur sudah berakhir pada %1</translation>
    </message>
    <message>
        <source>Holiday calendar ends on %1</source>
        <translation>Kalender hari libur berakhir pada %1</translation>
    </message>
    <message>
        <source>Deadlines after %1 count national holidays and cuti bersama as working days, so they are estimates. Update LAPOR Desk or sync this PC to get the new calendar.</source>
        <translation>Tenggat sesudah %1 dihitung tanpa hari libur nasional dan cuti bersama, jadi hanya perkiraan. Perbarui LAPOR Desk atau sinkronkan PC ini agar kalender baru terpasang.</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <source>Change password</source>
        <translation>Ganti kata sandi</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>Kata sandi saat ini</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>Kata sandi baru</translation>
    </message>
    <message>
        <source>Repeat the new password</source>
        <translation>Ulangi kata sandi baru</translation>
    </message>
    <message>
        <source>At least %1 characters, with both letters and digits, and not the same as your user name.</source>
        <translation>Minimal %1 karakter, berisi huruf dan angka, dan tidak sama dengan nama pengguna Anda.</translation>
    </message>
    <message>
        <source>&amp;Current password</source>
        <translation>Kata sandi saat &amp;ini</translation>
    </message>
    <message>
        <source>&amp;New password</source>
        <translation>Kata sandi &amp;baru</translation>
    </message>
    <message>
        <source>&amp;Repeat new password</source>
        <translation>&amp;Ulangi kata sandi baru</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Simpan</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>Fill in the current password.</source>
        <translation>Isi kata sandi saat ini.</translation>
    </message>
    <message>
        <source>Fill in the new password.</source>
        <translation>Isi kata sandi baru.</translation>
    </message>
    <message>
        <source>The two new passwords are not the same.</source>
        <translation>Kedua kata sandi baru tidak sama.</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>LAPOR Desk — an error occurred</source>
        <translation>LAPOR Desk — terjadi kesalahan</translation>
    </message>
    <message>
        <source>Sorry, something went wrong.</source>
        <translation>Maaf, terjadi kesalahan.</translation>
    </message>
    <message>
        <source>This is a fault in LAPOR Desk, not something you did. Your saved work is safe. If it happens again, copy the details and send them to your IT staff together with the log file.</source>
        <translation>Ini kesalahan pada LAPOR Desk, bukan kesalahan Anda. Pekerjaan yang sudah tersimpan aman. Jika terjadi lagi, salin detailnya dan kirimkan ke petugas TI bersama berkas log.</translation>
    </message>
    <message>
        <source>Error summary</source>
        <translation>Ringkasan kesalahan</translation>
    </message>
    <message>
        <source>Error details</source>
        <translation>Detail kesalahan</translation>
    </message>
    <message>
        <source>(no log file)</source>
        <translation>(tidak ada berkas log)</translation>
    </message>
    <message>
        <source>Log file: %1</source>
        <translation>Berkas log: %1</translation>
    </message>
    <message>
        <source>Show &amp;details</source>
        <translation>Tampilkan &amp;detail</translation>
    </message>
    <message>
        <source>&amp;Copy details</source>
        <translation>&amp;Salin detail</translation>
    </message>
    <message>
        <source>C&amp;lose</source>
        <translation>&amp;Tutup</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>Tersalin</translation>
    </message>
    <message>
        <source>Hide &amp;details</source>
        <translation>Sembunyikan &amp;detail</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>LAPOR Desk</source>
        <translation>LAPOR Desk</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <source>The screen is locked</source>
        <translation>Layar terkunci</translation>
    </message>
    <message>
        <source>Logged in as %1 (%2). Enter your password to continue.</source>
        <translation>Masuk sebagai %1 (%2). Masukkan kata sandi Anda untuk melanjutkan.</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Kata sandi</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>&amp;Buka kunci</translation>
    </message>
    <message>
        <source>&amp;Quit LAPOR Desk</source>
        <translation>K&amp;eluar dari LAPOR Desk</translation>
    </message>
    <message>
        <source>&amp;Switch user</source>
        <translation>&amp;Ganti pengguna</translation>
    </message>
    <message>
        <source>Log this account out so that someone else can log in</source>
        <translation>Keluarkan akun ini agar orang lain dapat masuk</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>&amp;Kata sandi</translation>
    </message>
    <message>
        <source>Enter your password.</source>
        <translation>Masukkan kata sandi Anda.</translation>
    </message>
    <message>
        <source>Only %1 can unlock this screen.</source>
        <translation>Hanya %1 yang dapat membuka kunci layar ini.</translation>
    </message>
    <message>
        <source>The password is wrong. Check Caps Lock and try again.</source>
        <translation>Kata sandi salah. Periksa tombol Caps Lock, lalu coba lagi.</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>LAPOR Desk — Log in</source>
        <translation>LAPOR Desk — Masuk</translation>
    </message>
    <message>
        <source>Handling SP4N-LAPOR! public complaints</source>
        <translation>Pengelolaan pengaduan masyarakat SP4N-LAPOR!</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Nama pengguna</translation>
    </message>
    <message>
        <source>e.g. admin.sleman</source>
        <translation>mis. admin.sleman</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Kata sandi</translation>
    </message>
    <message>
        <source>&amp;User name</source>
        <translation>&amp;Nama pengguna</translation>
    </message>
    <message>
        <source>&amp;Password</source>
        <translation>&amp;Kata sandi</translation>
    </message>
    <message>
        <source>&amp;Log in</source>
        <translation>&amp;Masuk</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>K&amp;eluar</translation>
    </message>
    <message>
        <source>Demo data: log in as %1 with the password %2.</source>
        <translation>Data demo: masuk sebagai %1 dengan kata sandi %2.</translation>
    </message>
    <message>
        <source>Fill in your user name and password.</source>
        <translation>Isi nama pengguna dan kata sandi Anda.</translation>
    </message>
    <message>
        <source>Opening the data of this PC…</source>
        <translation>Membuka data PC ini…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Sync conflicts</source>
        <translation>Konflik sinkronisasi</translation>
    </message>
    <message>
        <source>Changes to review after a sync</source>
        <translation>Perubahan yang perlu ditinjau setelah sinkronisasi</translation>
    </message>
    <message>
        <source>Sync log</source>
        <translation>Log sinkronisasi</translation>
    </message>
    <message>
        <source>What the recent syncs did</source>
        <translation>Hasil sinkronisasi terakhir</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Dasbor</translation>
    </message>
    <message>
        <source>Performance figures and charts for a period</source>
        <translation>Angka kinerja dan grafik untuk satu periode</translation>
    </message>
    <message>
        <source>&amp;New complaint…</source>
        <translation>Laporan &amp;baru…</translation>
    </message>
    <message>
        <source>Register a complaint received at the counter, by letter, phone, e-mail, social media or SMS/WhatsApp</source>
        <translation>Catat laporan yang diterima di loket, lewat surat, telepon, surel, media sosial atau SMS/WhatsApp</translation>
    </message>
    <message>
        <source>&amp;Export the list…</source>
        <translation>&amp;Ekspor daftar…</translation>
    </message>
    <message>
        <source>Save the complaints the list shows now as Excel, CSV or Open311</source>
        <translation>Simpan laporan yang tampil di daftar sekarang sebagai Excel, CSV atau Open311</translation>
    </message>
    <message>
        <source>Monthly &amp;report…</source>
        <translation>Laporan &amp;bulanan…</translation>
    </message>
    <message>
        <source>Write the monthly report for leadership as a PDF</source>
        <translation>Buat laporan bulanan untuk pimpinan sebagai PDF</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Pengaturan…</translation>
    </message>
    <message>
        <source>&amp;Back up now</source>
        <translation>&amp;Cadangkan sekarang</translation>
    </message>
    <message>
        <source>Save a copy of the database in the backup folder</source>
        <translation>Simpan salinan basis data di folder cadangan</translation>
    </message>
    <message>
        <source>Change &amp;password…</source>
        <translation>Ganti kata &amp;sandi…</translation>
    </message>
    <message>
        <source>&amp;Lock screen</source>
        <translation>K&amp;unci layar</translation>
    </message>
    <message>
        <source>Log &amp;out (switch user)</source>
        <translation>&amp;Keluar akun (ganti pengguna)</translation>
    </message>
    <message>
        <source>End your session; someone else can log in</source>
        <translation>Akhiri sesi Anda; orang lain dapat masuk</translation>
    </message>
    <message>
        <source>&amp;Quit LAPOR Desk</source>
        <translation>&amp;Tutup LAPOR Desk</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Muat ulang</translation>
    </message>
    <message>
        <source>Read the lists and counts again</source>
        <translation>Baca ulang daftar dan jumlahnya</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>&amp;Cari</translation>
    </message>
    <message>
        <source>Search the complaints</source>
        <translation>Cari pengaduan</translation>
    </message>
    <message>
        <source>S&amp;ync now</source>
        <translation>S&amp;inkronkan sekarang</translation>
    </message>
    <message>
        <source>Send and receive changes with the server now</source>
        <translation>Kirim dan terima perubahan dengan server sekarang</translation>
    </message>
    <message>
        <source>&amp;About LAPOR Desk</source>
        <translation>&amp;Tentang LAPOR Desk</translation>
    </message>
    <message>
        <source>&amp;User guide</source>
        <translation>&amp;Panduan pengguna</translation>
    </message>
    <message>
        <source>How to do your work in LAPOR Desk, step by step</source>
        <translation>Cara mengerjakan tugas Anda di LAPOR Desk, langkah demi langkah</translation>
    </message>
    <message>
        <source>Open the &amp;log folder</source>
        <translation>Buka folder &amp;log</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Berkas</translation>
    </message>
    <message>
        <source>&amp;Complaint</source>
        <translation>&amp;Pengaduan</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Tampilan</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>B&amp;antuan</translation>
    </message>
    <message>
        <source>Toolbar</source>
        <translation>Bilah alat</translation>
    </message>
    <message>
        <source>Logged-in user</source>
        <translation>Pengguna yang masuk</translation>
    </message>
    <message>
        <source>(select a complaint first)</source>
        <translation>(pilih pengaduan terlebih dahulu)</translation>
    </message>
    <message>
        <source>A sync is already running or this PC is not enrolled.</source>
        <translation>Sinkronisasi sedang berjalan atau PC ini belum terdaftar.</translation>
    </message>
    <message>
        <source>Your password was changed.</source>
        <translation>Kata sandi Anda sudah diganti.</translation>
    </message>
    <message>
        <source>About LAPOR Desk</source>
        <translation>Tentang LAPOR Desk</translation>
    </message>
    <message>
        <source>LAPOR Desk %1

Handling SP4N-LAPOR! public complaints in the office, online or offline.</source>
        <translation>LAPOR Desk %1

Pengelolaan pengaduan masyarakat SP4N-LAPOR! di kantor, daring maupun luring.</translation>
    </message>
    <message>
        <source>Backup saved: %1</source>
        <translation>Cadangan tersimpan: %1</translation>
    </message>
    <message>
        <source>A copy of the database was saved as:
%1</source>
        <translation>Salinan basis data disimpan sebagai:
%1</translation>
    </message>
    <message>
        <source>Backup saved</source>
        <translation>Cadangan tersimpan</translation>
    </message>
    <message>
        <source>Backing up…</source>
        <translation>Mencadangkan…</translation>
    </message>
</context>
<context>
    <name>NavigationList</name>
    <message>
        <source>Navigation</source>
        <translation>Navigasi</translation>
    </message>
    <message>
        <source>Complaints</source>
        <translation>Pengaduan</translation>
    </message>
    <message>
        <source>Administration</source>
        <translation>Administrasi</translation>
    </message>
    <message>
        <source>Synchronisation</source>
        <translation>Sinkronisasi</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Pengaturan</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Bahasa</translation>
    </message>
    <message>
        <source>The new language takes effect after LAPOR Desk is restarted.</source>
        <translation>Bahasa baru berlaku setelah LAPOR Desk dibuka ulang.</translation>
    </message>
    <message>
        <source>High con&amp;trast</source>
        <translation>Kon&amp;tras tinggi</translation>
    </message>
    <message>
        <source>Black text on white, dark borders and a strong colour for what is chosen. Also used when the system asks for high contrast.</source>
        <translation>Teks hitam di atas putih, garis tepi gelap, dan warna tegas untuk yang dipilih. Juga dipakai bila sistem meminta kontras tinggi.</translation>
    </message>
    <message>
        <source>Automatic sync interval in minutes</source>
        <translation>Selang sinkronisasi otomatis dalam menit</translation>
    </message>
    <message>
        <source> minutes</source>
        <translation> menit</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Mati</translation>
    </message>
    <message>
        <source>Backup folder</source>
        <translation>Folder cadangan</translation>
    </message>
    <message>
        <source>C&amp;hoose…</source>
        <translation>Pi&amp;lih…</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Umum</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Bahasa</translation>
    </message>
    <message>
        <source>Display</source>
        <translation>Tampilan</translation>
    </message>
    <message>
        <source>&amp;Automatic sync every</source>
        <translation>Sinkronisasi &amp;otomatis setiap</translation>
    </message>
    <message>
        <source>&amp;Backup folder</source>
        <translation>&amp;Folder cadangan</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Alamat server</translation>
    </message>
    <message>
        <source>CA certificate bundle</source>
        <translation>Berkas sertifikat CA</translation>
    </message>
    <message>
        <source>(the system&apos;s certificates)</source>
        <translation>(sertifikat bawaan sistem)</translation>
    </message>
    <message>
        <source>Ch&amp;oose…</source>
        <translation>Pil&amp;ih…</translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation>Proksi</translation>
    </message>
    <message>
        <source>(none) e.g. http://proxy.kantor:8080</source>
        <translation>(tidak ada) mis. http://proxy.kantor:8080</translation>
    </message>
    <message>
        <source>Reading the server settings…</source>
        <translation>Membaca pengaturan server…</translation>
    </message>
    <message>
        <source>Server connection</source>
        <translation>Koneksi server</translation>
    </message>
    <message>
        <source>Server &amp;address</source>
        <translation>Alamat se&amp;rver</translation>
    </message>
    <message>
        <source>&amp;CA certificates</source>
        <translation>Sertifikat &amp;CA</translation>
    </message>
    <message>
        <source>&amp;Proxy</source>
        <translation>&amp;Proksi</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Simpan</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>Set by IT (lapor-desk.toml)</source>
        <translation>Diatur oleh TI (lapor-desk.toml)</translation>
    </message>
    <message>
        <source>This PC is not enrolled with a server yet; the connection settings apply once it is enrolled.</source>
        <translation>PC ini belum terdaftar ke server; pengaturan koneksi berlaku setelah PC didaftarkan.</translation>
    </message>
    <message>
        <source>Only the office administrator or IT staff can change the server connection.</source>
        <translation>Hanya admin instansi atau petugas TI yang dapat mengubah koneksi server.</translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>Sertifikat (*.pem *.crt *.cer);;Semua berkas (*)</translation>
    </message>
    <message>
        <source>The backup folder is a file, not a folder.</source>
        <translation>Folder cadangan yang dipilih adalah berkas, bukan folder.</translation>
    </message>
    <message>
        <source>The server address must be a web address starting with https:// (or http://), for example https://lapor.example.go.id.</source>
        <translation>Alamat server harus berupa alamat web yang diawali https:// (atau http://), misalnya https://lapor.example.go.id.</translation>
    </message>
    <message>
        <source>The CA certificate file was not found: %1</source>
        <translation>Berkas sertifikat CA tidak ditemukan: %1</translation>
    </message>
    <message>
        <source>The proxy must be an address such as http://proxy.kantor:8080.</source>
        <translation>Proksi harus berupa alamat seperti http://proxy.kantor:8080.</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <source>Settings from a newer LAPOR Desk</source>
        <translation>Pengaturan dari LAPOR Desk versi lebih baru</translation>
    </message>
    <message>
        <source>LAPOR Desk cannot open its database</source>
        <translation>LAPOR Desk tidak dapat membuka basis datanya</translation>
    </message>
</context>
</TS>
