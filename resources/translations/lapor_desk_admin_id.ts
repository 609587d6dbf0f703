<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id">
<context>
    <name>AccountDialog</name>
    <message>
        <source>Add an account</source>
        <translation>Tambah akun</translation>
    </message>
    <message>
        <source>e.g. rina.loket</source>
        <translation>mis. rina.loket</translation>
    </message>
    <message>
        <source>(no unit)</source>
        <translation>(tanpa unit)</translation>
    </message>
    <message>
        <source>&amp;User name</source>
        <translation>&amp;Nama pengguna</translation>
    </message>
    <message>
        <source>&amp;Full name</source>
        <translation>Nama &amp;lengkap</translation>
    </message>
    <message>
        <source>&amp;Role</source>
        <translation>&amp;Peran</translation>
    </message>
    <message>
        <source>U&amp;nit</source>
        <translation>&amp;Unit</translation>
    </message>
    <message>
        <source>User names: 3–64 letters, digits, dots, dashes or underscores. The unit is needed for a unit liaison, who sees only that unit&apos;s complaints.</source>
        <translation>Nama pengguna: 3–64 huruf, angka, titik, tanda hubung atau garis bawah. Unit wajib untuk penghubung unit, yang hanya melihat laporan unitnya.</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Tambah</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>Fill in the full name.</source>
        <translation>Isi nama lengkap.</translation>
    </message>
    <message>
        <source>Choose the unit this liaison works for.</source>
        <translation>Pilih unit tempat penghubung ini bekerja.</translation>
    </message>
</context>
<context>
    <name>AccountsPage</name>
    <message>
        <source>User accounts</source>
        <translation>Akun pengguna</translation>
    </message>
    <message>
        <source>Everyone who works on this PC has their own account. A new account gets a random first password to hand over in person; its owner changes it under File ▸ Change password. After five wrong passwords an account locks itself for five minutes; unlock it here once you know it was its owner.</source>
        <translation>Setiap orang yang bekerja di PC ini memiliki akunnya sendiri. Akun baru mendapat kata sandi awal acak yang diserahkan langsung kepada pemiliknya; pemiliknya menggantinya lewat Berkas ▸ Ganti kata sandi. Setelah lima kali kata sandi salah, akun terkunci selama lima menit; buka kuncinya di sini bila Anda yakin itu pemiliknya.</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Nama pengguna</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Peran</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>&amp;Add an account…</source>
        <translation>&amp;Tambah akun…</translation>
    </message>
    <message>
        <source>New &amp;password…</source>
        <translation>Kata &amp;sandi baru…</translation>
    </message>
    <message>
        <source>&amp;Unlock</source>
        <translation>&amp;Buka kunci</translation>
    </message>
    <message>
        <source>&amp;Disable</source>
        <translation>&amp;Nonaktifkan</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>nonaktif</translation>
    </message>
    <message>
        <source>locked until %1</source>
        <translation>terkunci sampai %1</translation>
    </message>
    <message>
        <source>active</source>
        <translation>aktif</translation>
    </message>
    <message>
        <source>&amp;Enable</source>
        <translation>&amp;Aktifkan</translation>
    </message>
    <message>
        <source>Account added</source>
        <translation>Akun ditambahkan</translation>
    </message>
    <message>
        <source>The account %1 was added. Its first password is:

%2

Hand it over in person; it is not shown again.</source>
        <translation>Akun %1 ditambahkan. Kata sandi awalnya:

%2

Serahkan langsung kepada pemiliknya; kata sandi ini tidak ditampilkan lagi.</translation>
    </message>
    <message>
        <source>The new password of %1 is:

%2

Hand it over in person; it is not shown again. The account is unlocked.</source>
        <translation>Kata sandi baru %1:

%2

Serahkan langsung kepada pemiliknya; kata sandi ini tidak ditampilkan lagi. Kunci akun sudah dibuka.</translation>
    </message>
    <message>
        <source>%1 is unlocked.</source>
        <translation>Kunci %1 sudah dibuka.</translation>
    </message>
    <message>
        <source>%1 is enabled.</source>
        <translation>%1 diaktifkan.</translation>
    </message>
    <message>
        <source>%1 is disabled.</source>
        <translation>%1 dinonaktifkan.</translation>
    </message>
    <message>
        <source>Disable the account?</source>
        <translation>Nonaktifkan akun?</translation>
    </message>
    <message>
        <source>%1 will no longer be able to log in. What they did stays in the records.</source>
        <translation>%1 tidak akan bisa masuk lagi. Apa yang pernah dikerjakannya tetap tercatat.</translation>
    </message>
    <message>
        <source>Password changed</source>
        <translation>Kata sandi diganti</translation>
    </message>
    <message>
        <source>Not changed</source>
        <translation>Tidak diubah</translation>
    </message>
</context>
<context>
    <name>AdminArea</name>
    <message>
        <source>Sync problems</source>
        <translation>Masalah sinkronisasi</translation>
    </message>
    <message>
        <source>Changes not yet sent, refusals and conflicts</source>
        <translation>Perubahan belum terkirim, penolakan dan konflik</translation>
    </message>
    <message>
        <source>User accounts</source>
        <translation>Akun pengguna</translation>
    </message>
    <message>
        <source>Add accounts, new passwords, unlock, disable</source>
        <translation>Tambah akun, kata sandi baru, buka kunci, nonaktifkan</translation>
    </message>
    <message>
        <source>Backups and restore</source>
        <translation>Cadangan dan pemulihan</translation>
    </message>
    <message>
        <source>Back up now, or go back to a backup</source>
        <translation>Cadangkan sekarang, atau kembali ke sebuah cadangan</translation>
    </message>
    <message>
        <source>Sync and enrolment</source>
        <translation>Sinkronisasi dan pendaftaran</translation>
    </message>
    <message>
        <source>The national server, the proxy, the last sync</source>
        <translation>Server nasional, proxy, sinkronisasi terakhir</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Log</translation>
    </message>
    <message>
        <source>What LAPOR Desk did on this PC, for support</source>
        <translation>Apa yang dikerjakan LAPOR Desk di PC ini, untuk dukungan teknis</translation>
    </message>
</context>
<context>
    <name>AdminPages</name>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
</context>
<context>
    <name>BackupsPage</name>
    <message>
        <source>Backups and restore</source>
        <translation>Cadangan dan pemulihan</translation>
    </message>
    <message>
        <source>A backup is a complete copy of this PC&apos;s database and its attached files, safe to make while everyone works. LAPOR Desk also makes one by itself every day, keeping those of the last days and weeks, and one before every update. Restoring takes the office on this PC back to the moment of the backup; the next sync then brings back from the server what was sent since.</source>
        <translation>Cadangan adalah salinan lengkap basis data PC ini beserta berkas lampirannya, aman dibuat saat semua orang bekerja. LAPOR Desk juga membuatnya sendiri setiap hari, menyimpan cadangan beberapa hari dan minggu terakhir, dan satu sebelum setiap pembaruan. Pemulihan mengembalikan data kantor di PC ini ke saat cadangan dibuat; sinkronisasi berikutnya lalu mengambil kembali dari server apa yang sudah terkirim sejak itu.</translation>
    </message>
    <message>
        <source>Open the &amp;folder</source>
        <translation>Buka &amp;folder</translation>
    </message>
    <message>
        <source>&amp;Cancel the restore</source>
        <translation>&amp;Batalkan pemulihan</translation>
    </message>
    <message>
        <source>Made</source>
        <translation>Dibuat</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Alasan</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Ukuran</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Berkas</translation>
    </message>
    <message>
        <source>Backups</source>
        <translation>Cadangan</translation>
    </message>
    <message>
        <source>&amp;Back up now</source>
        <translation>&amp;Cadangkan sekarang</translation>
    </message>
    <message>
        <source>&amp;Restore the selected backup…</source>
        <translation>&amp;Pulihkan cadangan terpilih…</translation>
    </message>
    <message>
        <source>Restore from a &amp;file…</source>
        <translation>Pulihkan dari &amp;berkas…</translation>
    </message>
    <message>
        <source>Backup folder: %1</source>
        <translation>Folder cadangan: %1</translation>
    </message>
    <message>
        <source>The backup %1 will be restored when LAPOR Desk starts again.</source>
        <translation>Cadangan %1 akan dipulihkan saat LAPOR Desk dibuka kembali.</translation>
    </message>
    <message>
        <source>made by hand</source>
        <translation>dibuat manual</translation>
    </message>
    <message>
        <source>made by itself (daily)</source>
        <translation>dibuat otomatis (harian)</translation>
    </message>
    <message>
        <source>before an update</source>
        <translation>sebelum pembaruan</translation>
    </message>
    <message>
        <source>the database a restore replaced</source>
        <translation>basis data yang diganti oleh pemulihan</translation>
    </message>
    <message>
        <source>Choose a LAPOR Desk backup</source>
        <translation>Pilih cadangan LAPOR Desk</translation>
    </message>
    <message>
        <source>LAPOR Desk backups (*.sqlite3);;All files (*)</source>
        <translation>Cadangan LAPOR Desk (*.sqlite3);;Semua berkas (*)</translation>
    </message>
    <message>
        <source>The office&apos;s data on this PC goes back to the backup %1. LAPOR Desk closes, restores it and starts again; everyone working on this PC must log in again.</source>
        <translation>Data kantor di PC ini kembali ke cadangan %1. LAPOR Desk ditutup, memulihkannya, lalu dibuka kembali; semua yang bekerja di PC ini harus masuk lagi.</translation>
    </message>
    <message numerus="yes">
        <source>Changes made on this PC and not yet sent to the server will be lost: %Ln change(s). Sync first if you can.</source>
        <translation>
            <numerusform>Perubahan di PC ini yang belum terkirim ke server akan hilang: %Ln perubahan. Sinkronkan dulu bila bisa.</numerusform>
        </translation>
    </message>
    <message>
        <source>I understand that these changes will be lost</source>
        <translation>Saya mengerti bahwa perubahan ini akan hilang</translation>
    </message>
    <message>
        <source>Restore this backup?</source>
        <translation>Pulihkan cadangan ini?</translation>
    </message>
    <message>
        <source>&amp;Restore and restart</source>
        <translation>&amp;Pulihkan dan buka ulang</translation>
    </message>
</context>
<context>
    <name>ConnectionPage</name>
    <message>
        <source>Sync and enrolment</source>
        <translation>Sinkronisasi dan pendaftaran</translation>
    </message>
    <message>
        <source>This PC keeps the office&apos;s complaints and sends its changes to the national server whenever it is connected. The server address, the CA bundle and the proxy are changed under Settings.</source>
        <translation>PC ini menyimpan laporan kantor dan mengirim perubahannya ke server nasional setiap kali terhubung. Alamat server, berkas CA dan proxy diubah di Pengaturan.</translation>
    </message>
    <message>
        <source>Enrolled:</source>
        <translation>Terdaftar:</translation>
    </message>
    <message>
        <source>Office:</source>
        <translation>Instansi:</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>Server:</translation>
    </message>
    <message>
        <source>Device id:</source>
        <translation>ID perangkat:</translation>
    </message>
    <message>
        <source>CA bundle:</source>
        <translation>Berkas CA:</translation>
    </message>
    <message>
        <source>Proxy:</source>
        <translation>Proxy:</translation>
    </message>
    <message>
        <source>Syncs by itself:</source>
        <translation>Sinkron otomatis:</translation>
    </message>
    <message>
        <source>Changes not yet sent:</source>
        <translation>Perubahan belum terkirim:</translation>
    </message>
    <message>
        <source>Last successful sync:</source>
        <translation>Sinkronisasi berhasil terakhir:</translation>
    </message>
    <message>
        <source>Last error:</source>
        <translation>Galat terakhir:</translation>
    </message>
    <message>
        <source>This PC&apos;s clock:</source>
        <translation>Jam PC ini:</translation>
    </message>
    <message>
        <source>S&amp;ync now</source>
        <translation>Sin&amp;kronkan sekarang</translation>
    </message>
    <message>
        <source>Change the &amp;connection…</source>
        <translation>Ubah &amp;koneksi…</translation>
    </message>
    <message>
        <source>none</source>
        <translation>tidak ada</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ya</translation>
    </message>
    <message>
        <source>no</source>
        <translation>tidak</translation>
    </message>
    <message>
        <source>the system&apos;s certificates</source>
        <translation>sertifikat sistem</translation>
    </message>
    <message numerus="yes">
        <source>every %n minute(s)</source>
        <translation>
            <numerusform>setiap %n menit</numerusform>
        </translation>
    </message>
    <message>
        <source>This PC is not enrolled with a national server: its data stays on this PC. A new PC is enrolled by the set-up wizard when LAPOR Desk first starts; an existing one from the command line:
%1</source>
        <translation>PC ini belum terdaftar di server nasional: datanya hanya ada di PC ini. PC baru didaftarkan oleh wizard penyiapan saat LAPOR Desk pertama kali dibuka; PC yang sudah berjalan lewat baris perintah:
%1</translation>
    </message>
    <message>
        <source>not compared with the server yet</source>
        <translation>belum dibandingkan dengan server</translation>
    </message>
    <message>
        <source>on time (within a minute of the server)</source>
        <translation>tepat (selisih kurang dari satu menit dengan server)</translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s) off the server&apos;s clock; deadlines use the server&apos;s time</source>
        <translation>
            <numerusform>selisih %n menit dengan jam server; tenggat memakai waktu server</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LogPage</name>
    <message>
        <source>Log</source>
        <translation>Log</translation>
    </message>
    <message>
        <source>What LAPOR Desk did on this PC: start-ups, log-ins (by account id), syncs and errors. It holds no names, phone numbers or complaint text, so it can be sent to support as it is.</source>
        <translation>Apa yang dikerjakan LAPOR Desk di PC ini: saat dibuka, masuk (dengan ID akun), sinkronisasi dan galat. Log tidak berisi nama, nomor telepon atau isi laporan, sehingga dapat dikirim apa adanya ke dukungan teknis.</translation>
    </message>
    <message>
        <source>The end of the log</source>
        <translation>Bagian akhir log</translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>&amp;Muat ulang</translation>
    </message>
    <message>
        <source>&amp;Copy all</source>
        <translation>&amp;Salin semua</translation>
    </message>
    <message>
        <source>Open the log &amp;folder</source>
        <translation>Buka &amp;folder log</translation>
    </message>
    <message>
        <source>This window writes no log file.</source>
        <translation>Jendela ini tidak menulis berkas log.</translation>
    </message>
    <message>
        <source>Log folder: %1</source>
        <translation>Folder log: %1</translation>
    </message>
    <message>
        <source>(the log is empty)</source>
        <translation>(log masih kosong)</translation>
    </message>
</context>
<context>
    <name>SyncProblemsPage</name>
    <message>
        <source>Sync problems</source>
        <translation>Masalah sinkronisasi</translation>
    </message>
    <message>
        <source>What stands between this PC and the national server. Changes wait here while the PC is offline and go out with the next sync; a complaint the server refused must be fixed by the office&apos;s administrator (it is listed by tracking code only).</source>
        <translation>Apa yang menghalangi PC ini dan server nasional. Perubahan menunggu di sini selama PC luring dan terkirim pada sinkronisasi berikutnya; laporan yang ditolak server harus diperbaiki oleh admin instansi (hanya ditampilkan dengan kode pelacakannya).</translation>
    </message>
    <message>
        <source>Changes not yet sent:</source>
        <translation>Perubahan belum terkirim:</translation>
    </message>
    <message>
        <source>Conflicts to decide:</source>
        <translation>Konflik yang perlu diputuskan:</translation>
    </message>
    <message>
        <source>Last successful sync:</source>
        <translation>Sinkronisasi berhasil terakhir:</translation>
    </message>
    <message>
        <source>Last error:</source>
        <translation>Galat terakhir:</translation>
    </message>
    <message>
        <source>Tracking code</source>
        <translation>Kode pelacakan</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>Ditolak</translation>
    </message>
    <message>
        <source>Server&apos;s code</source>
        <translation>Kode server</translation>
    </message>
    <message>
        <source>Server&apos;s message</source>
        <translation>Pesan server</translation>
    </message>
    <message>
        <source>Complaints the server refused</source>
        <translation>Laporan yang ditolak server</translation>
    </message>
    <message>
        <source>S&amp;ync now</source>
        <translation>Sin&amp;kronkan sekarang</translation>
    </message>
    <message>
        <source>Open the sync &amp;log</source>
        <translation>Buka &amp;log sinkronisasi</translation>
    </message>
    <message>
        <source>%1 (the oldest waiting since %2)</source>
        <translation>%1 (yang tertua menunggu sejak %2)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>tidak ada</translation>
    </message>
    <message>
        <source>none (the office&apos;s administrator decides them)</source>
        <translation>tidak ada (admin instansi yang memutuskannya)</translation>
    </message>
    <message>
        <source>Complaints the server refused: %1</source>
        <translation>Laporan yang ditolak server: %1</translation>
    </message>
</context>
</TS>
