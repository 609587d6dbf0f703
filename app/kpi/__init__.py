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

Cost (the 100,000-complaint bench store, bench/store.py, on the 2-CPU bench machine): reading and assessing a year
of the home office (33,360 complaints) takes about 2 s, of which SQLite about 0.5 s; every figure of the dashboard from
a kept assessment about 0.35 s; refreshing it after 20 complaints changed (``store_facts.read_facts_of`` +
``Assessed.with_changes``) about 0.15 s. So a view assesses once, off the GUI thread, and then refreshes what changed.

Modules: ``period`` (ReportPeriod, parse_month), ``facts`` (ComplaintFacts, build_facts: what a complaint is for the
KPIs), ``assess`` (KpiRules, Step, Assessment, Assessed, assess: each deadline and how it ended, from app.rules.sla),
``definitions`` (Count, Rate, Median, KpiReport and one function per KPI), ``breakdowns`` (Group and the
breakdowns), ``index`` (the sorted lookups the KPIs use), ``store_facts`` (reading the PC's store).
"""
