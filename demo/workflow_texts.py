"""What staff write on demo timelines: disposition instructions, follow-up replies (tindak lanjut) per category,
reasons for postponing, redirecting, archiving and reopening, and the reporters' responses.
Placeholders: {unit} {tanggal} {desa} {kec} {tahun} {n}.
"""

from __future__ import annotations

INSTRUCTIONS = (
    "Mohon segera ditindaklanjuti dan hasilnya dilaporkan.",
    "Mohon dicek ke lokasi dan dikoordinasikan dengan pihak kecamatan.",
    "Segera ditangani sesuai kewenangan.",
    "Mohon klarifikasi kepada pelapor dan tindak lanjuti sesuai SOP.",
    "Prioritas: menyangkut keselamatan warga.",
)

# Follow-up replies by sub-category, then top category, then "_"; aspirations and information requests get
# their own kind of answer.
FOLLOW_UPS: dict[str, tuple[str, ...]] = {
    "infrastruktur.jalan": (
        "Tim {unit} telah meninjau lokasi pada {tanggal}. Penambalan lubang sudah dilaksanakan dan rambu "
        "peringatan dipasang selama pekerjaan.",
        "Perbaikan permanen ruas jalan di {desa} diusulkan dalam APBD Perubahan tahun {tahun}; sementara "
        "dilakukan perbaikan darurat oleh UPT pemeliharaan jalan pada {tanggal}.",
        "Pengaspalan ulang ruas jalan tersebut telah selesai dikerjakan pada {tanggal}.",
    ),
    "infrastruktur.drainase": (
        "Pembersihan saluran dan perbaikan gorong-gorong di {desa} selesai pada {tanggal}.",
        "Tim {unit} telah mengeruk sedimen saluran pada {tanggal}; normalisasi saluran dijadwalkan tahun {tahun}.",
    ),
    "infrastruktur.penerangan_jalan": (
        "Petugas telah mengganti {n} lampu penerangan jalan yang padam pada {tanggal}.",
        "Tiang lampu yang miring telah ditegakkan kembali pada {tanggal}.",
        "Pemasangan lampu penerangan baru di {desa} diusulkan dalam anggaran tahun {tahun}.",
    ),
    "infrastruktur.air_bersih": (
        "Petugas sudah memperbaiki pipa yang bocor; aliran air di {desa} normal kembali sejak {tanggal}.",
        "Perbaikan pompa sumur bor di {desa} telah selesai pada {tanggal}.",
    ),
    "infrastruktur": (
        "Tim {unit} telah meninjau lokasi pada {tanggal} dan perbaikan telah dilaksanakan.",
        "Perbaikan fasilitas tersebut dijadwalkan dalam anggaran pemeliharaan tahun {tahun}.",
    ),
    "kesehatan.puskesmas_rs": (
        "Kepala puskesmas telah memberikan pembinaan kepada petugas yang bersangkutan dan menambah petugas "
        "pendaftaran mulai {tanggal}.",
        "Jadwal dokter jaga telah diperbaiki dan diumumkan di ruang tunggu mulai {tanggal}.",
    ),
    "kesehatan.jkn_bpjs": (
        "Kepesertaan JKN PBI pelapor telah diaktifkan kembali per {tanggal}. Pelapor dapat berobat seperti biasa.",
        "{unit} telah berkoordinasi dengan BPJS Kesehatan; biaya yang dikeluarkan pelapor akan dikembalikan.",
    ),
    "kesehatan.obat_alkes": ("Stok obat telah dipenuhi dari gudang farmasi daerah pada {tanggal}.",),
    "kesehatan.gizi_ibu_anak": (
        "Posyandu di {desa} aktif kembali; jadwal kegiatan sudah diumumkan melalui kader.",
        "Tenaga gizi puskesmas telah mengunjungi balita di {desa} pada {tanggal} untuk pendampingan.",
    ),
    "kesehatan": ("{unit} telah melakukan klarifikasi pada {tanggal} dan memberikan pembinaan kepada petugas.",),
    "pendidikan.ppdb": (
        "Hasil verifikasi: titik koordinat domisili diperbaiki dan anak pelapor diterima di sekolah tujuan.",
        "Gangguan situs pendaftaran telah diatasi dan masa pendaftaran diperpanjang sampai {tanggal}.",
    ),
    "pendidikan.bantuan_pendidikan": ("Dana PIP siswa telah dicairkan ke rekening masing-masing pada {tanggal}.",),
    "pendidikan.pungutan_sekolah": (
        "{unit} telah memanggil kepala sekolah pada {tanggal}. Pungutan dihentikan dan dana yang sudah dibayar "
        "akan dikembalikan kepada orang tua.",
    ),
    "pendidikan.sarana_sekolah": (
        "Perbaikan ruang kelas dijadwalkan melalui DAK tahun {tahun}; sementara kelas dipindahkan ke ruang "
        "perpustakaan.",
    ),
    "pendidikan": ("{unit} telah melakukan klarifikasi ke sekolah pada {tanggal} dan memberikan pembinaan.",),
    "adminduk.ktp_el": (
        "KTP-el pelapor telah dicetak dan dapat diambil di kantor Disdukcapil mulai {tanggal}.",
        "Layanan perekaman KTP-el di {kec} dibuka kembali setiap hari Selasa dan Kamis.",
    ),
    "adminduk": (
        "Dokumen kependudukan pelapor telah diproses pada {tanggal} dan dikirim dalam bentuk dokumen elektronik.",
        "Data kependudukan pelapor telah diperbaiki; dokumen baru dapat dicetak mandiri.",
    ),
    "lingkungan.sampah": (
        "Sampah telah diangkut pada {tanggal}. Jadwal pengangkutan di {desa} ditetapkan dua kali seminggu.",
    ),
    "lingkungan.ruang_terbuka_hijau": ("Pohon telah dipangkas oleh tim {unit} pada {tanggal}.",),
    "lingkungan": (
        "Petugas {unit} telah mengambil sampel pada {tanggal}; hasil uji laboratorium akan disampaikan kepada "
        "pelapor.",
        "Pemilik usaha telah diberi teguran tertulis dan diwajibkan memperbaiki pengolahan limbahnya.",
    ),
    "sosial.bansos": (
        "Pendamping PKH telah mengecek; bantuan tahap ini akan disalurkan melalui kantor pos pada {tanggal}.",
    ),
    "sosial.dtsen": ("Data pelapor telah diverifikasi dan diusulkan masuk DTSEN pada pemutakhiran berikutnya.",),
    "sosial.disabilitas_lansia": (
        "Petugas {unit} telah mengunjungi yang bersangkutan pada {tanggal} dan memberikan bantuan permakanan.",
    ),
    "sosial.perlindungan_anak_perempuan": ("Kasus telah dirujuk ke UPTD PPA untuk pendampingan korban.",),
    "ketertiban": (
        "Satpol PP telah melakukan penertiban pada {tanggal} dan memberi teguran kepada pihak yang bersangkutan.",
        "Patroli malam di lokasi ditingkatkan bersama kepolisian sektor setempat.",
    ),
    "perhubungan.lalu_lintas": (
        "Lampu lalu lintas telah diperbaiki pada {tanggal}.",
        "Marka jalan dan rambu telah dipasang kembali pada {tanggal}.",
    ),
    "perhubungan.parkir": (
        "Juru parkir liar telah ditertibkan; lokasi kini dikelola juru parkir resmi dengan karcis.",
    ),
    "perhubungan": ("{unit} telah melakukan pengecekan dan penertiban pada {tanggal}.",),
    "ekonomi.pasar_harga": ("Tim pengawas pasar telah menera ulang timbangan pedagang pada {tanggal}.",
                            "Perbaikan atap kios pasar telah dikerjakan pada {tanggal}."),
    "ekonomi.pajak_retribusi_daerah": ("Perhitungan tagihan telah dikoreksi; tagihan baru dikirim kepada pelapor.",),
    "ekonomi": ("Berkas permohonan pelapor telah diverifikasi dan izin diterbitkan pada {tanggal}.",),
    "pelayanan_publik": (
        "Pegawai yang bersangkutan telah diberi teguran tertulis oleh atasan langsung.",
        "Inspektorat telah melakukan klarifikasi pada {tanggal}; uang yang dipungut dikembalikan kepada warga.",
        "Standar pelayanan kini ditempel di ruang layanan dan diumumkan di situs resmi.",
    ),
    "_": (
        "Laporan telah ditangani oleh {unit}. Hasil penanganan telah disampaikan kepada pelapor pada {tanggal}.",
        "{unit} telah berkoordinasi dengan pemerintah desa dan masalah telah diselesaikan.",
    ),
}
ASPIRATION_REPLIES = (
    "Usulan pelapor telah dicatat oleh {unit} dan akan dibahas dalam Musrenbang tahun {tahun}.",
    "Terima kasih atas usulannya. {unit} akan mempertimbangkannya dalam rencana kerja tahun {tahun}.",
)
INFORMATION_REPLIES = (
    "Informasi yang diminta telah disampaikan kepada pelapor melalui e-mail pada {tanggal}.",
    "Informasi telah diberikan oleh {unit}; rinciannya juga tersedia di situs resmi pemerintah daerah.",
)
FOLLOW_UP_CLOSINGS = ("", " Terima kasih atas laporan Bapak/Ibu.", " Terima kasih atas partisipasinya.",
                      " Apabila masih ada kendala silakan menghubungi kami kembali.")

POSTPONE_REASONS = (
    "Lokasi kejadian belum jelas; mohon pelapor melengkapi alamat lengkap.",
    "Mohon pelapor melampirkan foto kondisi di lapangan.",
    "Identitas pelapor perlu dikonfirmasi terlebih dahulu.",
    "Kronologi kejadian kurang lengkap; menunggu klarifikasi pelapor.",
)
RESUME_NOTES = ("Pelapor telah melengkapi alamat dan foto lokasi.", "Klarifikasi diterima melalui telepon.")
REDIRECT_REASONS = (
    ("Ruas jalan tersebut berstatus jalan nasional; kewenangan balai jalan nasional.", "BBPJN"),
    ("Urusan ini menjadi kewenangan pemerintah provinsi.", "Pemerintah Provinsi"),
    ("Urusan ini menjadi kewenangan pemerintah desa.", None),
    ("Kepesertaan JKN menjadi kewenangan BPJS Kesehatan.", "BPJS Kesehatan"),
    ("Sengketa tanah menjadi kewenangan Kantor Pertanahan.", "Kantor Pertanahan"),
)
ARCHIVE_NOTES = {
    "DUPLIKAT": "Sama dengan laporan sebelumnya dari pelapor yang sama.",
    "TIDAK_RELEVAN": "Bukan pengaduan pelayanan publik.",
    "SPAM": "Isi laporan tidak bermakna.",
    "TIDAK_LENGKAP": "Pelapor tidak memberikan klarifikasi dalam batas waktu.",
}
SATISFIED = ("Terima kasih, masalah sudah beres.", "Sudah ditangani dengan baik, terima kasih.",
             "Pelapor menyatakan puas melalui telepon.")
NOT_SATISFIED = ("Perbaikan hanya sebagian, masalah belum selesai.", "Belum ada perubahan di lapangan.",
                 "Jawaban tidak sesuai dengan yang dilaporkan.")
CLOSE_NOTES = ("Pelapor dikonfirmasi melalui telepon dan menyatakan masalah selesai.",
               "Ditutup setelah verifikasi hasil tindak lanjut.")
REOPEN_REASONS = ("Masalah yang sama muncul kembali menurut pelapor.", "Pelapor menyampaikan bukti baru.")
UNARCHIVE_REASONS = ("Pelapor menyampaikan kelengkapan data setelah diarsipkan.",
                     "Laporan keliru diarsipkan sebagai duplikat.")
NOTES = ("Mohon dipercepat, sudah mendekati batas waktu.", "Sudah dikoordinasikan dengan camat.",
         "Dipantau langsung oleh pimpinan.", "Pelapor menanyakan perkembangan melalui telepon.")
