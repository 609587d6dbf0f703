"""The notes page: how each figure is computed, one line each, pointing to the rules in docs/KPI.md."""

from __future__ import annotations

from app.report.content import NoteLine

NOTES = (
    NoteLine("Laporan diterima", "laporan yang tiba di instansi pada bulan ini (diterima atau dialihkan ke sini); "
             "spam dan duplikat tidak dihitung."),
    NoteLine("Diverifikasi ≤ 3 HK", "tenggat verifikasi yang diketahui hasilnya bulan ini: tepat bila keputusan "
             "pertama (disposisi, ditunda, bukan wewenang, arsip) paling lambat hari kerja ke-3 setelah tiba."),
    NoteLine("Ditindaklanjuti ≤ 5 HK", "satu tenggat per disposisi ke unit: tepat bila tindak lanjut unit paling "
             "lambat hari kerja ke-5 setelah disposisi."),
    NoteLine("Selesai tepat waktu", "tenggat penyelesaian (5/14/60 hari kerja menurut jenis dan muatan pengawasan) "
             "yang diketahui hasilnya bulan ini."),
    NoteLine("Selesai", "laporan yang pertama kali selesai bulan ini, termasuk yang ditutup otomatis setelah 10 hari "
             "tanpa tanggapan pelapor."),
    NoteLine("Terlambat saat ini", "laporan terbuka yang tenggat berjalannya sudah lewat pada saat laporan ini "
             "dibuat (tunggakan hari ini, tidak terikat bulan)."),
    NoteLine("Median hari kerja", "median hari kerja dari tiba sampai verifikasi, dan dari disposisi sampai tindak "
             "lanjut, untuk langkah yang dilakukan bulan ini."),
    NoteLine("Kepuasan pelapor", "tanggapan pelapor bulan ini yang menyatakan puas, dibagi semua tanggapan bulan ini."),
    NoteLine("Hari kerja", "tanpa Sabtu, Minggu, libur nasional dan cuti bersama; tenggat berakhir pukul 23.59 waktu "
             "setempat pada hari terakhirnya."),
    NoteLine("Target", "100 % untuk ketiga tenggat: regulasi menetapkan tenggat untuk setiap laporan (asumsi; belum "
             "ada target persentase peta jalan SP4N-LAPOR! yang diverifikasi)."),
    NoteLine("Aturan lengkap", "docs/KPI.md (Indikator kinerja pengelolaan pengaduan); angka dihitung oleh app.kpi, "
             "sama dengan dasbor dan perbandingan nasional."),
    NoteLine("Privasi", "laporan ini tidak memuat data pribadi pelapor maupun isi laporan; laporan terlambat hanya "
             "disebut dengan kode pelacakan dan kategorinya."),
)
