<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id">
<context>
    <name>ConflictEditDialog</name>
    <message>
        <source>Edit the value</source>
        <translation>Sunting nilai</translation>
    </message>
    <message>
        <source>&amp;New value for “%1” (%2):</source>
        <translation>&amp;Nilai baru untuk “%1” (%2):</translation>
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
        <source>Write a number, for example -7.7156.</source>
        <translation>Tulis angka, misalnya -7,7156.</translation>
    </message>
</context>
<context>
    <name>ConflictListModel</name>
    <message>
        <source>Tracking code</source>
        <translation>Kode pelacakan</translation>
    </message>
    <message>
        <source>Complaint</source>
        <translation>Laporan</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Isian</translation>
    </message>
</context>
<context>
    <name>ConflictReviewWidget</name>
    <message>
        <source>Yes</source>
        <translation>Ya</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Tidak</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>(kosong)</translation>
    </message>
    <message>
        <source>Sync conflicts</source>
        <translation>Konflik sinkronisasi</translation>
    </message>
    <message>
        <source>Two people changed the same field while working apart. The server kept the value that reached it first; choose the right one for each field.</source>
        <translation>Dua petugas mengubah isian yang sama saat bekerja terpisah. Server menyimpan nilai yang lebih dulu tiba; pilih nilai yang benar untuk setiap isian.</translation>
    </message>
    <message>
        <source>Open conflicts</source>
        <translation>Konflik terbuka</translation>
    </message>
    <message>
        <source>My value (this PC)</source>
        <translation>Nilai saya (PC ini)</translation>
    </message>
    <message>
        <source>The server&apos;s value</source>
        <translation>Nilai di server</translation>
    </message>
    <message>
        <source>Mine (this PC)</source>
        <translation>Milik saya (PC ini)</translation>
    </message>
    <message>
        <source>Server version (in use now)</source>
        <translation>Versi server (yang berlaku sekarang)</translation>
    </message>
    <message>
        <source>Underlined, shaded words are where the two versions differ.</source>
        <translation>Kata yang bergaris bawah dan berlatar warna menandai perbedaan kedua versi.</translation>
    </message>
    <message>
        <source>Keep &amp;mine</source>
        <translation>Pakai &amp;milik saya</translation>
    </message>
    <message>
        <source>Send this PC&apos;s value to the server</source>
        <translation>Kirim nilai dari PC ini ke server</translation>
    </message>
    <message>
        <source>Keep the &amp;server&apos;s version</source>
        <translation>Pakai versi se&amp;rver</translation>
    </message>
    <message>
        <source>Keep the value the server has now</source>
        <translation>Pertahankan nilai yang ada di server sekarang</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Sunting…</translation>
    </message>
    <message>
        <source>Write a new value, starting from mine</source>
        <translation>Tulis nilai baru, berawal dari milik saya</translation>
    </message>
    <message>
        <source>Only these roles may decide a conflict: %1.</source>
        <translation>Hanya peran berikut yang dapat memutuskan konflik: %1.</translation>
    </message>
    <message>
        <source>No conflicts</source>
        <translation>Tidak ada konflik</translation>
    </message>
    <message>
        <source>Every change made on this PC agrees with the server.</source>
        <translation>Semua perubahan di PC ini sudah selaras dengan server.</translation>
    </message>
    <message>
        <source>Field “%1”, recorded %2</source>
        <translation>Isian “%1”, dicatat %2</translation>
    </message>
    <message>
        <source>Kept your value; it goes to the server at the next sync.</source>
        <translation>Nilai Anda dipakai; nilai ini dikirim ke server pada sinkronisasi berikutnya.</translation>
    </message>
    <message>
        <source>Kept the server&apos;s version.</source>
        <translation>Versi server dipertahankan.</translation>
    </message>
    <message>
        <source>Saved the new value; it goes to the server at the next sync.</source>
        <translation>Nilai baru disimpan; nilai ini dikirim ke server pada sinkronisasi berikutnya.</translation>
    </message>
</context>
<context>
    <name>NotificationBanner</name>
    <message>
        <source>Notification</source>
        <translation>Pemberitahuan</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
    <message>
        <source>Close this notification (Esc)</source>
        <translation>Tutup pemberitahuan ini (Esc)</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <source>Update needed</source>
        <translation>Perlu versi baru</translation>
    </message>
    <message>
        <source>New complaints</source>
        <translation>Laporan baru</translation>
    </message>
    <message numerus="yes">
        <source>%n new complaint(s) arrived from the server.</source>
        <translation>
            <numerusform>%n laporan baru diterima dari server.</numerusform>
        </translation>
    </message>
    <message>
        <source>Deadlines tomorrow</source>
        <translation>Tenggat besok</translation>
    </message>
    <message numerus="yes">
        <source>%n complaint(s) reach their deadline tomorrow.</source>
        <translation>
            <numerusform>%n laporan mencapai tenggat besok.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RefusedIntakesDialog</name>
    <message>
        <source>Complaints refused by the server</source>
        <translation>Laporan yang ditolak server</translation>
    </message>
    <message>
        <source>The server refused to take in these complaints. They exist only on this PC, and the citizen already holds the tracking code. Fix the complaint (find it by its tracking code, then Complaint ▸ Edit details…) and send it again, or withdraw it.</source>
        <translation>Server menolak menerima laporan berikut. Laporan ini hanya ada di PC ini, padahal pelapor sudah memegang kode pelacakannya. Perbaiki laporan (cari dengan kode pelacakannya, lalu Pengaduan ▸ Ubah data…) dan kirim ulang, atau tarik.</translation>
    </message>
    <message>
        <source>Refused complaints</source>
        <translation>Laporan yang ditolak</translation>
    </message>
    <message>
        <source>Why the server refused it</source>
        <translation>Alasan penolakan server</translation>
    </message>
    <message>
        <source>Send again</source>
        <translation>Kirim ulang</translation>
    </message>
    <message>
        <source>Send the complaint as it is now, after fixing it</source>
        <translation>Kirim laporan seperti isinya sekarang, setelah diperbaiki</translation>
    </message>
    <message>
        <source>Withdraw…</source>
        <translation>Tarik…</translation>
    </message>
    <message>
        <source>Keep it on this PC, archived, and stop counting it as a problem</source>
        <translation>Simpan di PC ini sebagai arsip dan tidak lagi dihitung sebagai masalah</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
    <message>
        <source>Note for the timeline (optional)</source>
        <translation>Catatan untuk riwayat (opsional)</translation>
    </message>
    <message>
        <source>Withdrawal note</source>
        <translation>Catatan penarikan</translation>
    </message>
    <message>
        <source>Withdraw</source>
        <translation>Tarik</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>Only the office admin may withdraw a complaint</source>
        <translation>Hanya admin instansi yang boleh menarik laporan</translation>
    </message>
    <message>
        <source>No complaint is refused by the server.</source>
        <translation>Tidak ada laporan yang ditolak server.</translation>
    </message>
    <message>
        <source>%1: refused by the server (%2): %3</source>
        <translation>%1: ditolak server (%2): %3</translation>
    </message>
    <message>
        <source>%1 will be sent again at the next sync.</source>
        <translation>%1 akan dikirim ulang pada sinkronisasi berikutnya.</translation>
    </message>
    <message>
        <source>Withdraw %1? It stays on this PC, archived, with the server&apos;s reason on its timeline, and is never sent to the server: the citizen&apos;s tracking code will not be found on the national status page.</source>
        <translation>Tarik %1? Laporan tetap ada di PC ini sebagai arsip, dengan alasan penolakan server di riwayatnya, dan tidak pernah dikirim ke server: kode pelacakan pelapor tidak akan ditemukan di halaman status nasional.</translation>
    </message>
    <message>
        <source>%1 was withdrawn; it stays on this PC, archived.</source>
        <translation>%1 sudah ditarik; laporan tetap ada di PC ini sebagai arsip.</translation>
    </message>
</context>
<context>
    <name>SyncController</name>
    <message>
        <source>Stopped; what was exchanged so far is kept.</source>
        <translation>Dihentikan; data yang sudah dipertukarkan tetap tersimpan.</translation>
    </message>
    <message numerus="yes">
        <source>%n new complaint(s)</source>
        <translation>
            <numerusform>%n laporan baru</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n conflict(s) to review</source>
        <translation>
            <numerusform>%n konflik perlu ditinjau</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) refused by the server</source>
        <translation>
            <numerusform>%n perubahan ditolak server</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) exchanged</source>
        <translation>
            <numerusform>%n berkas dipertukarkan</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SyncLogBytes</name>
    <message numerus="yes">
        <source>%Ln byte(s)</source>
        <translation>
            <numerusform>%Ln bita</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SyncLogModel</name>
    <message>
        <source>Time</source>
        <translation>Waktu</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Hasil</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Dikirim</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Diterima</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Data</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Keterangan</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>Berhasil</translation>
    </message>
    <message>
        <source>Server unreachable</source>
        <translation>Server tidak terjangkau</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Gagal</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Dihentikan</translation>
    </message>
</context>
<context>
    <name>SyncLogWidget</name>
    <message>
        <source>Sync log</source>
        <translation>Log sinkronisasi</translation>
    </message>
    <message>
        <source>No sync yet since the program started.</source>
        <translation>Belum ada sinkronisasi sejak program dibuka.</translation>
    </message>
    <message>
        <source>Sync attempts since the program started (newest first). Personal data is never recorded here.</source>
        <translation>Upaya sinkronisasi sejak program dibuka (terbaru di atas). Data pribadi tidak pernah dicatat di sini.</translation>
    </message>
</context>
<context>
    <name>SyncStatusWidget</name>
    <message>
        <source>Sync status</source>
        <translation>Status sinkronisasi</translation>
    </message>
    <message>
        <source>Complaints refused by the server</source>
        <translation>Laporan yang ditolak server</translation>
    </message>
    <message>
        <source>They exist only on this PC: fix and send them again, or withdraw them</source>
        <translation>Laporan ini hanya ada di PC ini: perbaiki lalu kirim ulang, atau tarik</translation>
    </message>
    <message>
        <source>Sync progress</source>
        <translation>Kemajuan sinkronisasi</translation>
    </message>
    <message>
        <source>Last sync error</source>
        <translation>Kesalahan sinkronisasi terakhir</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Sinkronkan sekarang</translation>
    </message>
    <message>
        <source>Exchange changes with the server now (F9)</source>
        <translation>Kirim dan terima perubahan dengan server sekarang (F9)</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Hentikan</translation>
    </message>
    <message>
        <source>Stop the sync; what was exchanged so far is kept</source>
        <translation>Hentikan sinkronisasi; data yang sudah dipertukarkan tetap tersimpan</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Menghubungkan…</translation>
    </message>
    <message>
        <source>Sending changes</source>
        <translation>Mengirim perubahan</translation>
    </message>
    <message>
        <source>Uploading files</source>
        <translation>Mengunggah berkas</translation>
    </message>
    <message>
        <source>Receiving updates</source>
        <translation>Menerima pembaruan</translation>
    </message>
    <message>
        <source>Downloading files</source>
        <translation>Mengunduh berkas</translation>
    </message>
    <message>
        <source>Local mode (not connected to a server)</source>
        <translation>Mode lokal (tidak terhubung ke server)</translation>
    </message>
    <message>
        <source>This PC works on its own: nothing is sent to the national server.</source>
        <translation>PC ini bekerja sendiri: tidak ada data yang dikirim ke server nasional.</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Menyinkronkan…</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Daring</translation>
    </message>
    <message>
        <source>Connected to %1</source>
        <translation>Terhubung ke %1</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Luring</translation>
    </message>
    <message>
        <source>The server cannot be reached. Changes stay safe on this PC and are sent when the connection is back.</source>
        <translation>Server tidak dapat dihubungi. Perubahan tetap tersimpan di PC ini dan dikirim saat koneksi tersedia kembali.</translation>
    </message>
    <message>
        <source>Update needed</source>
        <translation>Perlu versi baru</translation>
    </message>
    <message>
        <source>Sync failed</source>
        <translation>Sinkronisasi gagal</translation>
    </message>
    <message>
        <source>Never synced</source>
        <translation>Belum pernah sinkron</translation>
    </message>
    <message>
        <source>Connection not checked yet</source>
        <translation>Koneksi belum diperiksa</translation>
    </message>
    <message>
        <source>Last sync: …</source>
        <translation>Sinkron terakhir: …</translation>
    </message>
    <message numerus="yes">
        <source>%n complaint(s) refused by the server</source>
        <translation>
            <numerusform>%n laporan ditolak server</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) waiting to be sent</source>
        <translation>
            <numerusform>%n perubahan menunggu dikirim</numerusform>
        </translation>
    </message>
    <message>
        <source>All changes sent</source>
        <translation>Semua perubahan terkirim</translation>
    </message>
    <message>
        <source>Last sync: %1</source>
        <translation>Sinkron terakhir: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n conflict(s) to review</source>
        <translation>
            <numerusform>%n konflik perlu ditinjau</numerusform>
        </translation>
    </message>
    <message>
        <source>never</source>
        <translation>belum pernah</translation>
    </message>
</context>
</TS>
