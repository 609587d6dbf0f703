"""The monthly report for leadership painted on A4 (app.report gives its content): tables and bar charts as page
blocks of ui.printing.layout, written as a PDF whole or not at all, the ``report`` command and the window's dialog."""
