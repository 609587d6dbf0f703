"""Performance evaluation: one definition of each SP4N-LAPOR! roadmap KPI, used by the PC (dashboard, monthly report,
exports) and by the national server (the comparison of offices). No Qt, no sync, no server: pure code over plain facts.
docs/KPI.md states every rule for readers outside the code.

The way through, on a PC (the server has the same in server.kpi_facts)::

    from app.kpi import breakdowns, definitions, store_facts
    from app.kpi.period import ReportPeriod, parse_month

    period = parse_month("2026-10", today)                        # or ReportPeriod(first_day, last_day)
    with store.read() as session:
        assessed = store_facts.assess_office(session, office_id, period)
    report = definitions.kpi_report(assessed, period, as_of=now)   # every KPI, each with the ids behind it
    trend = definitions.monthly(assessed, ReportPeriod.year(2026), now)
    units = breakdowns.by_unit(assessed, period, now)              # received, completed, overdue now per unit
    pu_only = breakdowns.only(assessed, lambda f: f.unit_id == unit_id)

Cost (the 100,000-complaint bench store, bench/store.py, on the 2-CPU bench machine; docs/BENCHMARKS.md "dashboard"):
reading and assessing a year of the home office takes about 1.5 s of CPU, the whole office about 3 s; every figure
of the dashboard from a kept assessment 20–50 ms (the KPIs slice the index's timelines and their remembered groups);
refreshing it after 20 complaints changed (``store_facts.read_facts_of`` + ``Assessed.with_changes``) 0.3–0.4 s. So
the dashboard keeps one assessment of the office off the GUI thread (ui.dashboard.kept) and refreshes what changed.
The national server keeps the same figures per office and day instead (``marks``, server.kpi_national).

Modules: ``period`` (ReportPeriod, parse_month), ``facts`` (ComplaintFacts, build_facts: what a complaint is for the
KPIs), ``assess`` (KpiRules, Step, Assessment, Assessed, assess: each deadline and how it ended, from app.rules.sla),
``definitions`` (Count, Rate, Median, KpiReport and one function per KPI), ``breakdowns`` (Group and the
breakdowns), ``index`` (the sorted lookups the KPIs use), ``store_facts`` (reading the PC's store), ``marks`` (the
KPIs as daily counts, what the national comparison keeps).
"""
