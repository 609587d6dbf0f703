<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id">
<context>
    <name>ChoicePage</name>
    <message>
        <source>Welcome to LAPOR Desk</source>
        <translation>Selamat datang di LAPOR Desk</translation>
    </message>
    <message>
        <source>This PC is not set up yet. Choose how to start.</source>
        <translation>PC ini belum disiapkan. Pilih cara memulai.</translation>
    </message>
    <message>
        <source>Try the &amp;demo</source>
        <translation>Coba &amp;demo</translation>
    </message>
    <message>
        <source>&amp;Enrol this PC with the national server</source>
        <translation>&amp;Daftarkan PC ini ke server nasional</translation>
    </message>
    <message>
        <source>Made-up complaints for Kabupaten Sleman and a small national server on this PC. For trying the program out and for training; no internet connection needed.</source>
        <translation>Pengaduan rekaan untuk Kabupaten Sleman dan server nasional kecil di PC ini. Untuk mencoba aplikasi dan untuk pelatihan; tidak perlu koneksi internet.</translation>
    </message>
    <message>
        <source>For real work at your office. You need the server address and an enrolment code from the national admin.</source>
        <translation>Untuk bekerja sungguhan di kantor Anda. Diperlukan alamat server dan kode pendaftaran dari admin nasional.</translation>
    </message>
    <message>
        <source>Demo data is kept apart from real data: to use LAPOR Desk for real later, IT enrols this PC with a new data folder.</source>
        <translation>Data demo terpisah dari data sungguhan: untuk memakai LAPOR Desk sungguhan nanti, petugas TI mendaftarkan PC ini dengan folder data baru.</translation>
    </message>
</context>
<context>
    <name>DemoPage</name>
    <message>
        <source>Try the demo</source>
        <translation>Coba demo</translation>
    </message>
    <message>
        <source>Made-up data to try LAPOR Desk out and to train staff, without enrolling.</source>
        <translation>Data rekaan untuk mencoba LAPOR Desk dan melatih petugas, tanpa mendaftar.</translation>
    </message>
    <message>
        <source>&amp;Set up the demo</source>
        <translation>&amp;Siapkan demo</translation>
    </message>
    <message>
        <source>The demo sets this PC up as &lt;b&gt;Pemerintah Kabupaten Sleman&lt;/b&gt;, with citizens&apos; complaints that are made up: every name, NIK and phone number is synthetic. It also runs a small national server on this PC (127.0.0.1), so you can watch sync at work: after setup, more complaints keep arriving with the next syncs.</source>
        <translation>Demo menyiapkan PC ini sebagai &lt;b&gt;Pemerintah Kabupaten Sleman&lt;/b&gt; dengan pengaduan warga rekaan: semua nama, NIK, dan nomor telepon dibuat-buat. Demo juga menjalankan server nasional kecil di PC ini (127.0.0.1) sehingga sinkronisasi dapat dilihat bekerja: setelah penyiapan, pengaduan baru terus berdatangan pada sinkronisasi berikutnya.</translation>
    </message>
    <message>
        <source>&lt;b&gt;User name&lt;/b&gt;</source>
        <translation>&lt;b&gt;Nama pengguna&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Role&lt;/b&gt;</source>
        <translation>&lt;b&gt;Peran&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Demo accounts</source>
        <translation>Akun demo</translation>
    </message>
    <message>
        <source>Password of every demo account: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>Kata sandi semua akun demo: &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Setting up takes about half a minute; no internet connection is needed.</source>
        <translation>Penyiapan memakan waktu sekitar setengah menit; tidak perlu koneksi internet.</translation>
    </message>
    <message>
        <source>Log in with one of these demo accounts:</source>
        <translation>Masuk dengan salah satu akun demo berikut:</translation>
    </message>
    <message>
        <source>An earlier demo setup did not finish; it continues where it stopped.</source>
        <translation>Penyiapan demo sebelumnya belum selesai; penyiapan dilanjutkan dari tahap terakhir.</translation>
    </message>
    <message>
        <source>&amp;Continue the demo setup</source>
        <translation>&amp;Lanjutkan penyiapan demo</translation>
    </message>
    <message>
        <source>Filling the demo server with offices, accounts and complaints…</source>
        <translation>Mengisi server demo dengan instansi, akun, dan pengaduan…</translation>
    </message>
    <message>
        <source>Starting the demo server on this PC…</source>
        <translation>Menjalankan server demo di PC ini…</translation>
    </message>
    <message>
        <source>Enrolling this PC with the demo server…</source>
        <translation>Mendaftarkan PC ini ke server demo…</translation>
    </message>
    <message>
        <source>First sync: receiving Sleman&apos;s accounts and complaints…</source>
        <translation>Sinkronisasi pertama: menerima akun dan pengaduan Sleman…</translation>
    </message>
    <message>
        <source>Preparing the database on this PC…</source>
        <translation>Menyiapkan basis data di PC ini…</translation>
    </message>
    <message>
        <source>Filling this PC with demo data…</source>
        <translation>Mengisi PC ini dengan data demo…</translation>
    </message>
</context>
<context>
    <name>DonePage</name>
    <message>
        <source>This PC is ready</source>
        <translation>PC ini siap dipakai</translation>
    </message>
    <message numerus="yes">
        <source>This PC is enrolled for &lt;b&gt;%1&lt;/b&gt;. The first sync brought in %Ln complaint(s).</source>
        <translation>
            <numerusform>PC ini terdaftar untuk &lt;b&gt;%1&lt;/b&gt;. Sinkronisasi pertama menerima %Ln pengaduan.</numerusform>
        </translation>
    </message>
    <message>
        <source>No system keyring was found, so this PC&apos;s device token is kept in the file %1, readable only by this user account.</source>
        <translation>Keyring sistem tidak tersedia, jadi token perangkat PC ini disimpan di berkas %1 yang hanya dapat dibaca akun pengguna ini.</translation>
    </message>
    <message numerus="yes">
        <source>The demo is ready for &lt;b&gt;%1&lt;/b&gt;: %Ln complaint(s) came in with the first sync from the demo server on this PC. More complaints are still arriving and come in with the next syncs.</source>
        <translation>
            <numerusform>Demo siap untuk &lt;b&gt;%1&lt;/b&gt;: %Ln pengaduan diterima pada sinkronisasi pertama dari server demo di PC ini. Pengaduan lain masih berdatangan dan masuk pada sinkronisasi berikutnya.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The demo is ready for &lt;b&gt;%1&lt;/b&gt; with %Ln complaint(s), on this PC only (no sync).</source>
        <translation>
            <numerusform>Demo siap untuk &lt;b&gt;%1&lt;/b&gt; dengan %Ln pengaduan, hanya di PC ini (tanpa sinkronisasi).</numerusform>
        </translation>
    </message>
    <message>
        <source>Log in with the account your office admin gave you.</source>
        <translation>Masuk dengan akun yang diberikan admin instansi Anda.</translation>
    </message>
    <message>
        <source>Log in as &lt;b&gt;admin.sleman&lt;/b&gt; (office admin) or &lt;b&gt;loket.sleman&lt;/b&gt; (counter clerk) with the password &lt;b&gt;%1&lt;/b&gt;.</source>
        <translation>Masuk sebagai &lt;b&gt;admin.sleman&lt;/b&gt; (admin instansi) atau &lt;b&gt;loket.sleman&lt;/b&gt; (petugas loket) dengan kata sandi &lt;b&gt;%1&lt;/b&gt;.</translation>
    </message>
</context>
<context>
    <name>EnrolPage</name>
    <message>
        <source>Enrol this PC with the national server</source>
        <translation>Daftarkan PC ini ke server nasional</translation>
    </message>
    <message>
        <source>Enter the server address and the enrolment code you received from the national admin. This PC then receives your office&apos;s complaints.</source>
        <translation>Masukkan alamat server dan kode pendaftaran yang Anda terima dari admin nasional. Setelah itu PC ini menerima pengaduan instansi Anda.</translation>
    </message>
    <message>
        <source>&amp;Enrol</source>
        <translation>&amp;Daftarkan</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Alamat server</translation>
    </message>
    <message>
        <source>Enrolment code</source>
        <translation>Kode pendaftaran</translation>
    </message>
    <message>
        <source>A one-time code of 12 letters and digits, valid for 24 hours. Ask the national admin for a new one if it has expired.</source>
        <translation>Kode sekali pakai berisi 12 huruf dan angka, berlaku 24 jam. Minta kode baru kepada admin nasional bila sudah kedaluwarsa.</translation>
    </message>
    <message>
        <source>(system certificates)</source>
        <translation>(sertifikat sistem)</translation>
    </message>
    <message>
        <source>CA bundle file</source>
        <translation>Berkas CA</translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation>Proxy</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Pilih…</translation>
    </message>
    <message>
        <source>&amp;Advanced settings</source>
        <translation>Pengaturan &amp;lanjutan</translation>
    </message>
    <message>
        <source>Only needed on some government networks; leave empty unless IT asks. Without a proxy here, the system&apos;s proxy settings are used.</source>
        <translation>Hanya diperlukan di sebagian jaringan pemerintah; biarkan kosong kecuali diminta petugas TI. Bila proxy di sini kosong, pengaturan proxy sistem yang dipakai.</translation>
    </message>
    <message>
        <source>&amp;CA bundle (PEM):</source>
        <translation>Berkas &amp;CA (PEM):</translation>
    </message>
    <message>
        <source>&amp;Proxy:</source>
        <translation>Pro&amp;xy:</translation>
    </message>
    <message>
        <source>&amp;Server address:</source>
        <translation>Alamat &amp;server:</translation>
    </message>
    <message>
        <source>Enrolment &amp;code:</source>
        <translation>&amp;Kode pendaftaran:</translation>
    </message>
    <message>
        <source>Choose the CA bundle</source>
        <translation>Pilih berkas CA</translation>
    </message>
    <message>
        <source>Certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>Sertifikat (*.pem *.crt *.cer);;Semua berkas (*)</translation>
    </message>
    <message>
        <source>This PC is already enrolled with %1, but its first sync did not finish. Sync now to finish setting it up.</source>
        <translation>PC ini sudah terdaftar ke %1, tetapi sinkronisasi pertamanya belum selesai. Sinkronkan sekarang untuk menyelesaikan penyiapan.</translation>
    </message>
    <message>
        <source>S&amp;ync</source>
        <translation>&amp;Sinkronkan</translation>
    </message>
    <message>
        <source>Enter the server address, e.g. https://lapor.example.go.id.</source>
        <translation>Isi alamat server, misalnya https://lapor.example.go.id.</translation>
    </message>
    <message>
        <source>The address must start with https:// (or http://), e.g. https://lapor.example.go.id.</source>
        <translation>Alamat harus diawali https:// (atau http://), misalnya https://lapor.example.go.id.</translation>
    </message>
    <message>
        <source>This server address is incomplete or has a typing error.</source>
        <translation>Alamat server ini tidak lengkap atau salah ketik.</translation>
    </message>
    <message>
        <source>Enter the enrolment code from the national admin.</source>
        <translation>Isi kode pendaftaran dari admin nasional.</translation>
    </message>
    <message>
        <source>An enrolment code has 12 letters and digits, e.g. K7QM-4TZP-9WXA.</source>
        <translation>Kode pendaftaran terdiri atas 12 huruf dan angka, misalnya K7QM-4TZP-9WXA.</translation>
    </message>
    <message>
        <source>This CA bundle file does not exist.</source>
        <translation>Berkas CA ini tidak ditemukan.</translation>
    </message>
    <message>
        <source>The proxy address must look like http://proxy.pemda.go.id:8080.</source>
        <translation>Alamat proxy harus berbentuk seperti http://proxy.pemda.go.id:8080.</translation>
    </message>
    <message>
        <source>Preparing the database on this PC…</source>
        <translation>Menyiapkan basis data di PC ini…</translation>
    </message>
    <message>
        <source>Enrolling this PC with the server…</source>
        <translation>Mendaftarkan PC ini ke server…</translation>
    </message>
    <message>
        <source>First sync: receiving your office&apos;s accounts and complaints…</source>
        <translation>Sinkronisasi pertama: menerima akun dan pengaduan instansi Anda…</translation>
    </message>
    <message>
        <source>The server at %1 cannot be reached. Check the server address and this PC&apos;s network connection (or the proxy under Advanced settings), then try again.</source>
        <translation>Server %1 tidak dapat dihubungi. Periksa alamat server dan koneksi jaringan PC ini (atau proxy di Pengaturan lanjutan), lalu coba lagi.</translation>
    </message>
    <message>
        <source>%1 did not answer as a LAPOR Desk server (HTTP %2). Check the server address.</source>
        <translation>%1 tidak menjawab sebagai server LAPOR Desk (HTTP %2). Periksa alamat server.</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>LAPOR Desk setup</source>
        <translation>Penyiapan LAPOR Desk</translation>
    </message>
    <message>
        <source>&lt; &amp;Back</source>
        <translation>&lt; &amp;Kembali</translation>
    </message>
    <message>
        <source>&amp;Next &gt;</source>
        <translation>&amp;Lanjut &gt;</translation>
    </message>
    <message>
        <source>&amp;Start using LAPOR Desk</source>
        <translation>&amp;Mulai memakai LAPOR Desk</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
</context>
<context>
    <name>WorkPage</name>
    <message>
        <source>Setup step</source>
        <translation>Tahap penyiapan</translation>
    </message>
    <message>
        <source>Setup progress</source>
        <translation>Kemajuan penyiapan</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Masalah</translation>
    </message>
    <message>
        <source>&amp;Try again</source>
        <translation>&amp;Coba lagi</translation>
    </message>
    <message>
        <source>Something unexpected went wrong: %1. Try again; if it happens again, ask IT for help and give them the log file.</source>
        <translation>Terjadi kesalahan tak terduga: %1. Coba lagi; bila terulang, minta bantuan petugas TI dan berikan berkas log kepada mereka.</translation>
    </message>
</context>
</TS>
