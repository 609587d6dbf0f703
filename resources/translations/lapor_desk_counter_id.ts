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
        <source>LAPOR Desk — Service counter — %1</source>
        <translation>LAPOR Desk — Loket pengaduan — %1</translation>
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
</TS>
