<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id">
<context>
    <name>DashboardFigures</name>
    <message>
        <source>Complaints received</source>
        <translation>Laporan diterima</translation>
    </message>
    <message>
        <source>Verified within 3 working days</source>
        <translation>Diverifikasi ≤ 3 hari kerja</translation>
    </message>
    <message>
        <source>Followed up within 5 working days</source>
        <translation>Ditindaklanjuti ≤ 5 hari kerja</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Selesai</translation>
    </message>
    <message>
        <source>Completed within the resolution deadline</source>
        <translation>Selesai tepat waktu</translation>
    </message>
    <message>
        <source>Overdue now</source>
        <translation>Terlambat saat ini</translation>
    </message>
    <message>
        <source>Median working days to verification</source>
        <translation>Median hari kerja sampai verifikasi</translation>
    </message>
    <message>
        <source>Median working days to follow-up</source>
        <translation>Median hari kerja sampai tindak lanjut</translation>
    </message>
    <message>
        <source>Reporter responses</source>
        <translation>Tanggapan pelapor</translation>
    </message>
    <message>
        <source>Reporters satisfied</source>
        <translation>Pelapor puas</translation>
    </message>
    <message>
        <source>Target {goal} — {mark} cannot be judged (no data)</source>
        <translation>Target {goal} — {mark} belum dapat dinilai (tidak ada data)</translation>
    </message>
    <message>
        <source>Target {goal} — {mark} met</source>
        <translation>Target {goal} — {mark} tercapai</translation>
    </message>
    <message>
        <source>Target {goal} — {mark} not met</source>
        <translation>Target {goal} — {mark} belum tercapai</translation>
    </message>
    <message numerus="yes">
        <source>%Ln pending</source>
        <translation>
            <numerusform>%Ln masih berjalan</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>over %Ln complaint(s)</source>
        <translation>
            <numerusform>dari %Ln laporan</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln spam or duplicate(s) left out</source>
        <translation>
            <numerusform>%Ln spam/duplikat tidak dihitung</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln closed automatically</source>
        <translation>
            <numerusform>%Ln ditutup otomatis</numerusform>
        </translation>
    </message>
    <message>
        <source>{n} of {d}</source>
        <translation>{n} dari {d}</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>tidak ada data</translation>
    </message>
    <message>
        <source>{days} days</source>
        <translation>{days} hari</translation>
    </message>
    <message>
        <source>Target 0 — {mark} met</source>
        <translation>Target 0 — {mark} tercapai</translation>
    </message>
    <message>
        <source>Target 0 — {mark} not met</source>
        <translation>Target 0 — {mark} belum tercapai</translation>
    </message>
    <message>
        <source>open complaints past their deadline, today</source>
        <translation>laporan terbuka yang melewati tenggat, hari ini</translation>
    </message>
</context>
<context>
    <name>DashboardWidget</name>
    <message>
        <source>Dashboard message</source>
        <translation>Pesan dasbor</translation>
    </message>
    <message>
        <source>There were no complaints in this period: every figure is zero.</source>
        <translation>Tidak ada laporan pada periode ini: semua angka nol.</translation>
    </message>
    <message>
        <source>The period has not ended yet: the figures so far.</source>
        <translation>Periode belum berakhir: angka sampai saat ini (sementara).</translation>
    </message>
    <message>
        <source>no complaints in this period</source>
        <translation>tidak ada laporan pada periode ini</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Bulan</translation>
    </message>
    <message>
        <source>Complaints received per month, by status now</source>
        <translation>Laporan diterima per bulan, menurut status saat ini</translation>
    </message>
    <message>
        <source>all units</source>
        <translation>semua unit</translation>
    </message>
    <message>
        <source>{period} · {unit} · as of {when}</source>
        <translation>{period} · {unit} · per {when}</translation>
    </message>
    <message>
        <source>Per month</source>
        <translation>Per bulan</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Kategori</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Kanal</translation>
    </message>
    <message>
        <source>District</source>
        <translation>Kecamatan</translation>
    </message>
    <message>
        <source>Village</source>
        <translation>Desa/Kelurahan</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Diterima</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Selesai</translation>
    </message>
    <message>
        <source>Overdue now</source>
        <translation>Terlambat saat ini</translation>
    </message>
</context>
<context>
    <name>KpiTile</name>
    <message numerus="yes">
        <source>Show the complaints behind this figure (%Ln complaint(s))</source>
        <translation>
            <numerusform>Tampilkan laporan di balik angka ini (%Ln laporan)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PeriodBar</name>
    <message>
        <source>Month</source>
        <translation>Bulan</translation>
    </message>
    <message>
        <source>Quarter</source>
        <translation>Triwulan</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>Tahun</translation>
    </message>
    <message>
        <source>From – to</source>
        <translation>Dari – sampai</translation>
    </message>
    <message>
        <source>Kind of period</source>
        <translation>Jenis periode</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Periode</translation>
    </message>
    <message>
        <source>First day</source>
        <translation>Tanggal awal</translation>
    </message>
    <message>
        <source>Last day</source>
        <translation>Tanggal akhir</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>All units</source>
        <translation>Semua unit</translation>
    </message>
    <message>
        <source>&amp;Show</source>
        <translation>&amp;Tampilkan</translation>
    </message>
    <message>
        <source>&amp;Period:</source>
        <translation>&amp;Periode:</translation>
    </message>
    <message>
        <source>&amp;Unit:</source>
        <translation>&amp;Unit:</translation>
    </message>
    <message>
        <source>year-month, e.g. 2026-10</source>
        <translation>tahun-bulan, misalnya 2026-10</translation>
    </message>
    <message>
        <source>year-quarter, e.g. 2026-Q3</source>
        <translation>tahun-triwulan, misalnya 2026-Q3</translation>
    </message>
    <message>
        <source>year, e.g. 2026</source>
        <translation>tahun, misalnya 2026</translation>
    </message>
</context>
</TS>
