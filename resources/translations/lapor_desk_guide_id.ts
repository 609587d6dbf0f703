<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id">
<context>
    <name>GuideWindow</name>
    <message>
        <source>LAPOR Desk — User guide</source>
        <translation>LAPOR Desk — Panduan pengguna</translation>
    </message>
    <message>
        <source>Search the guide… (Ctrl+F)</source>
        <translation>Cari di panduan… (Ctrl+F)</translation>
    </message>
    <message>
        <source>Search the guide</source>
        <translation>Cari di panduan</translation>
    </message>
    <message>
        <source>Pages of the guide</source>
        <translation>Halaman panduan</translation>
    </message>
    <message>
        <source>No page holds every word searched for.</source>
        <translation>Tidak ada halaman yang memuat semua kata yang dicari.</translation>
    </message>
    <message>
        <source>Page of the guide</source>
        <translation>Isi halaman panduan</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Tutup</translation>
    </message>
</context>
</TS>
