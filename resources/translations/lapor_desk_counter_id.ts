<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id">
<context>
    <name>CounterWindow</name>
    <message>
        <source>LAPOR Desk — Service counter</source>
        <translation>LAPOR Desk — Loket pengaduan</translation>
    </message>
    <message>
        <source>LAPOR Desk · Service counter</source>
        <translation>LAPOR Desk · Loket pengaduan</translation>
    </message>
    <message>
        <source>&amp;Lock</source>
        <translation>&amp;Kunci</translation>
    </message>
    <message>
        <source>Lock the screen while you are away (Ctrl+L)</source>
        <translation>Kunci layar selama Anda meninggalkan meja (Ctrl+L)</translation>
    </message>
    <message>
        <source>Log &amp;out</source>
        <translation>Keluar &amp;akun</translation>
    </message>
    <message>
        <source>End your session; someone else can log in</source>
        <translation>Akhiri sesi Anda; petugas lain dapat masuk</translation>
    </message>
    <message>
        <source>How can we help?</source>
        <translation>Ada yang bisa kami bantu?</translation>
    </message>
    <message>
        <source>&amp;New complaint</source>
        <translation>Laporan &amp;baru</translation>
    </message>
    <message>
        <source>Take a complaint, an aspiration or a request for information from the citizen at the counter, and print the receipt.</source>
        <translation>Catat pengaduan, aspirasi atau permintaan informasi dari warga di loket, lalu cetak tanda terimanya.</translation>
    </message>
    <message>
        <source>&amp;Check a complaint&apos;s status</source>
        <translation>&amp;Cek status laporan</translation>
    </message>
    <message>
        <source>For a citizen who comes back with the tracking code from the receipt.</source>
        <translation>Untuk warga yang datang kembali dengan kode pelacakan dari tanda terima.</translation>
    </message>
    <message>
        <source>This screen shows no other citizen&apos;s complaints. It clears itself after a few minutes without activity.</source>
        <translation>Layar ini tidak menampilkan laporan warga lain. Isian dihapus sendiri setelah beberapa menit tanpa aktivitas.</translation>
    </message>
    <message>
        <source>User &amp;guide (F1)</source>
        <translation>&amp;Panduan pengguna (F1)</translation>
    </message>
    <message>
        <source>How the counter works, step by step</source>
        <translation>Cara kerja loket, langkah demi langkah</translation>
    </message>
    <message>
        <source>LAPOR Desk — Service counter — %1</source>
        <translation>LAPOR Desk — Loket pengaduan — %1</translation>
    </message>
</context>
<context>
    <name>IntakeSteps</name>
    <message>
        <source>Ca&amp;ncel</source>
        <translation>&amp;Batal</translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <translation>&amp;Kembali</translation>
    </message>
    <message>
        <source>&amp;Next</source>
        <translation>&amp;Lanjut</translation>
    </message>
    <message>
        <source>&amp;Submit the complaint</source>
        <translation>&amp;Kirim laporan</translation>
    </message>
    <message>
        <source>Please read your complaint once more. If something is wrong, tell the officer; it is sent only when you agree.</source>
        <translation>Silakan baca sekali lagi laporan Anda. Jika ada yang keliru, sampaikan kepada petugas; laporan baru dikirim setelah Anda setuju.</translation>
    </message>
    <message>
        <source>Show this page to the citizen on the &amp;second screen</source>
        <translation>Tampilkan halaman ini kepada warga di &amp;layar kedua</translation>
    </message>
    <message>
        <source>Tracking code</source>
        <translation>Kode pelacakan</translation>
    </message>
    <message>
        <source>Status PIN</source>
        <translation>PIN status</translation>
    </message>
    <message>
        <source>Give the citizen the printed receipt. With the code and the PIN they can check the status at the counter or on the LAPOR! status page.</source>
        <translation>Serahkan tanda terima yang tercetak kepada warga. Dengan kode dan PIN, warga dapat mengecek status di loket atau di halaman status LAPOR!.</translation>
    </message>
    <message>
        <source>&amp;Print the receipt</source>
        <translation>&amp;Cetak tanda terima</translation>
    </message>
    <message>
        <source>Straight to this PC&apos;s default printer</source>
        <translation>Langsung ke printer utama PC ini</translation>
    </message>
    <message>
        <source>Print &amp;with options…</source>
        <translation>Cetak dengan &amp;pilihan…</translation>
    </message>
    <message>
        <source>Choose the printer, the paper and the copies</source>
        <translation>Pilih printer, kertas dan jumlah salinan</translation>
    </message>
    <message>
        <source>Save as P&amp;DF…</source>
        <translation>Simpan sebagai P&amp;DF…</translation>
    </message>
    <message>
        <source>&amp;Finish: next citizen</source>
        <translation>&amp;Selesai: warga berikutnya</translation>
    </message>
    <message>
        <source>Step %1 of %2 · %3</source>
        <translation>Langkah %1 dari %2 · %3</translation>
    </message>
    <message>
        <source>Step %1 of %1 · Check and send</source>
        <translation>Langkah %1 dari %1 · Periksa dan kirim</translation>
    </message>
    <message>
        <source>Already registered?</source>
        <translation>Sudah pernah dilaporkan?</translation>
    </message>
    <message>
        <source>Complaint received</source>
        <translation>Laporan diterima</translation>
    </message>
    <message>
        <source>Added to the complaint already registered under this code:</source>
        <translation>Ditambahkan ke laporan yang sudah tercatat dengan kode ini:</translation>
    </message>
    <message>
        <source>The complaint is registered. Tracking code:</source>
        <translation>Laporan sudah tercatat. Kode pelacakan:</translation>
    </message>
    <message>
        <source>Status PIN: %1</source>
        <translation>PIN status: %1</translation>
    </message>
    <message>
        <source>Not attached:</source>
        <translation>Tidak terlampir:</translation>
    </message>
    <message>
        <source>Unfinished complaint</source>
        <translation>Laporan belum selesai</translation>
    </message>
    <message>
        <source>A complaint was being typed here when LAPOR Desk last closed. Continue it?</source>
        <translation>Ada laporan yang sedang diketik di sini saat LAPOR Desk terakhir ditutup. Lanjutkan?</translation>
    </message>
    <message>
        <source>&amp;Continue it</source>
        <translation>&amp;Lanjutkan</translation>
    </message>
    <message>
        <source>&amp;Start afresh</source>
        <translation>&amp;Mulai dari awal</translation>
    </message>
</context>
<context>
    <name>LookupPage</name>
    <message>
        <source>Check the status of a complaint</source>
        <translation>Cek status laporan</translation>
    </message>
    <message>
        <source>Type the tracking code printed on the citizen&apos;s receipt. Spaces and dashes may be left out.</source>
        <translation>Ketik kode pelacakan yang tercetak pada tanda terima warga. Spasi dan tanda hubung boleh dilewati.</translation>
    </message>
    <message>
        <source>Tracking code</source>
        <translation>Kode pelacakan</translation>
    </message>
    <message>
        <source>&amp;Look up</source>
        <translation>&amp;Cari</translation>
    </message>
    <message>
        <source>&amp;Print status letter</source>
        <translation>Cetak &amp;surat status</translation>
    </message>
    <message>
        <source>&amp;Done</source>
        <translation>&amp;Selesai</translation>
    </message>
    <message>
        <source>Type the tracking code first.</source>
        <translation>Ketik kode pelacakan terlebih dahulu.</translation>
    </message>
    <message>
        <source>This complaint is confidential: only its status is shown.</source>
        <translation>Laporan ini rahasia: hanya statusnya yang ditampilkan.</translation>
    </message>
    <message>
        <source>This code is mistyped: one digit is wrong or two digits are swapped. Check it against the receipt and type it again.</source>
        <translation>Kode ini salah ketik: ada angka yang keliru atau dua angka tertukar. Cocokkan dengan tanda terima lalu ketik ulang.</translation>
    </message>
    <message>
        <source>No complaint of this office has this code. Check the code; a complaint made at another office is checked there or on the LAPOR! status page.</source>
        <translation>Tidak ada laporan kantor ini dengan kode tersebut. Periksa kodenya; laporan yang dibuat di kantor lain dicek di sana atau di halaman status LAPOR!.</translation>
    </message>
</context>
<context>
    <name>Review</name>
    <message>
        <source>Yes</source>
        <translation>Ya</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Tidak</translation>
    </message>
    <message>
        <source>Kind of report</source>
        <translation>Jenis laporan</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Judul</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>Apa yang terjadi</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Kapan</translation>
    </message>
    <message>
        <source>(not given)</source>
        <translation>(tidak diisi)</translation>
    </message>
    <message numerus="yes">
        <source>%Ln file(s)</source>
        <translation>
            <numerusform>%Ln berkas</numerusform>
        </translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Di mana</translation>
    </message>
    <message>
        <source>Address of the place</source>
        <translation>Alamat lokasi</translation>
    </message>
    <message>
        <source>Identity</source>
        <translation>Identitas</translation>
    </message>
    <message>
        <source>Anonymous: your name is not shown to the staff handling the complaint</source>
        <translation>Anonim: nama Anda tidak ditampilkan kepada petugas yang menangani laporan</translation>
    </message>
    <message>
        <source>Confidential</source>
        <translation>Rahasia</translation>
    </message>
    <message>
        <source>Yes: the complaint never appears in any public list</source>
        <translation>Ya: laporan tidak pernah muncul di daftar publik mana pun</translation>
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
        <source>Your address</source>
        <translation>Alamat Anda</translation>
    </message>
    <message>
        <source>Assistance needed</source>
        <translation>Bantuan yang diperlukan</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>Lampiran</translation>
    </message>
    <message>
        <source>Consent to the use of personal data</source>
        <translation>Persetujuan penggunaan data pribadi</translation>
    </message>
    <message>
        <source>Please check your complaint</source>
        <translation>Silakan periksa laporan Anda</translation>
    </message>
</context>
</TS>
