#!/usr/bin/env python3
"""Time the KPI analysis (aftersales.kpi.report) and the quarterly evaluation wizard over
years of closed tickets.

Usage (from the repository root, a database with aftersales_service installed):
    .venv/bin/python benchmarks/kpi_report.py --db aftersales_demo
        [--tickets 1000000] [--batch 200000] [--technicians 40] [--teams 6]
        [--rounds 3] [--explain] [--no-vacuum] [--json rows.json]
Tickets spread over the last 3 years, their visits, ratings and penalties are inserted
with SQL (mostly closed and resolved tickets with their stored KPI columns filled as the
ORM would, working hours approximated at 8 a day); technicians, teams, categories,
products and customers are created through the ORM. The pivot's grouped read
(technician x month) is timed over everything and over the last full quarter, then the
evaluation wizard over that quarter; each is the median of --rounds runs after a warm-up.
--explain prints the EXPLAIN ANALYZE of the full grouped read to stderr. Everything is
rolled back, then the touched tables are vacuumed (FULL).
"""

import argparse
import json
import os
import statistics
import sys
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import odoo_env
from dateutil.relativedelta import relativedelta
from odoo_env import open_registry

import odoo
from odoo import Command, api
from odoo.tools import SQL

GROUPBY = ["technician_id", "date_created:month"]
AGGREGATES = ["__count", "sla_arrival_met:avg", "first_time_fix:avg", "rating:avg"]
TOUCHED_TABLES = [
    "aftersales_ticket",
    "aftersales_visit",
    "aftersales_visit_employee_rel",
    "rating_rating",
    "aftersales_penalty",
    "res_partner",
    "product_product",
    "product_template",
    "hr_employee",
]


def work_hours(hours):
    """SQL for an approximation of the working hours in ``hours`` wall-clock hours: 8 a day."""
    return f"round(floor({hours} / 24) * 8 + least({hours} - floor({hours} / 24) * 24, 8), 2)"


# One row per g in [lo, hi]: created evenly over [start, start + span], open the last two
# weeks, otherwise 5 % cancelled, 15 % resolved and 80 % closed. Even tickets are on site
# (an onsite category), done ones with one visit, or two when g % 10 = 0. Hours from
# creation: r accepted, a arrived, res resolved; w hours of work per visit.
TICKET_INSERT = f"""
    INSERT INTO aftersales_ticket (
        name, company_id, partner_id, commercial_partner_id, product_id, category_id,
        team_id, technician_id, technician_user_id, channel, priority, state, warranty_state,
        create_date, write_date, create_uid, write_uid,
        date_assigned, date_accepted, date_arrival, date_resolved, date_closed,
        customer_confirmed, date_customer_confirmed, cancel_reason,
        kpi_response_hours, kpi_response_work_hours, kpi_arrival_hours,
        kpi_arrival_work_hours, kpi_resolution_hours, kpi_resolution_work_hours,
        kpi_done_visit_count, kpi_labour_hours, is_first_time_fix, is_repeat_repair,
        reopen_count, rating_last_value,
        sla_policy_id, deadline_response, deadline_arrival, deadline_resolution,
        sla_response_state, sla_arrival_state, sla_resolution_state, sla_status,
        sla_response_late_hours, sla_arrival_late_hours, sla_resolution_late_hours)
    SELECT
        'KPIB-' || g, %(company)s, p.partner, p.partner,
        (%(products)s::int[])[1 + (g / 3) %% cardinality(%(products)s::int[])],
        (%(categories)s::int[])[1 + g %% 4],
        (%(teams)s::int[])[1 + (p.tech + CASE WHEN g %% 10 = 5 THEN 1 ELSE 0 END)
                              %% cardinality(%(teams)s::int[])],
        (%(technicians)s::int[])[1 + p.tech], NULL,
        'phone', ((g / 7) %% 4)::text, s.state, (ARRAY['in', 'out', 'none'])[1 + g %% 3],
        c.created, COALESCE(t.closed, t.resolved, c.created), 1, 1,
        CASE WHEN s.state <> 'new' THEN c.created + interval '5 minutes' END,
        t.accepted, t.arrival, t.resolved, t.closed,
        s.state = 'closed', t.closed,
        CASE WHEN s.state = 'cancelled' THEN 'KPI benchmark' END,
        CASE WHEN d.done THEN round(s.r, 2) ELSE 0 END,
        CASE WHEN d.done THEN {work_hours("s.r")} ELSE 0 END,
        CASE WHEN t.arrival IS NOT NULL THEN round(e.a, 2) ELSE 0 END,
        CASE WHEN t.arrival IS NOT NULL THEN {work_hours("e.a")} ELSE 0 END,
        CASE WHEN d.done THEN round(f.res, 2) ELSE 0 END,
        CASE WHEN d.done THEN {work_hours("f.res")} ELSE 0 END,
        e.v, e.v * s.w,
        d.done AND e.v <= 1 AND NOT d.reopened, d.done AND g %% 17 = 0,
        CASE WHEN d.reopened THEN 1 ELSE 0 END,
        CASE WHEN d.done AND g %% 3 = 0
             THEN CASE (g / 3) %% 10 WHEN 0 THEN 1 WHEN 1 THEN 3 WHEN 2 THEN 3 ELSE 5 END
             ELSE 0 END,
        %(policy)s::int,
        CASE WHEN %(policy)s::int IS NOT NULL THEN c.created + interval '4 hours' END,
        CASE WHEN %(policy)s::int IS NOT NULL AND s.onsite
             THEN c.created + interval '24 hours' END,
        CASE WHEN %(policy)s::int IS NOT NULL THEN c.created + interval '72 hours' END,
        u.response, u.arrival, u.resolution,
        CASE WHEN %(policy)s::int IS NULL THEN NULL
             WHEN 'failed' IN (u.response, u.arrival, u.resolution) THEN 'breached'
             WHEN d.done THEN 'met'
             ELSE 'on_track' END,
        CASE WHEN u.response = 'failed' THEN {work_hours("(s.r - 4)")} ELSE 0 END,
        CASE WHEN u.arrival = 'failed' THEN {work_hours("(e.a - 24)")} ELSE 0 END,
        CASE WHEN u.resolution = 'failed' THEN {work_hours("(f.res - 72)")} ELSE 0 END
    FROM generate_series(%(lo)s, %(hi)s) g
    CROSS JOIN LATERAL (
        SELECT %(start)s::timestamp
               + make_interval(secs => (g - 1)::float8 * %(span)s / %(total)s) AS created
    ) c
    CROSS JOIN LATERAL (
        SELECT (%(partners)s::int[])[1 + (g / 7) %% cardinality(%(partners)s::int[])] AS partner,
               -- hashed, not g %% n: the technician is independent of the state, site...
               abs(hashint4extended(g, 42)) %% %(techs)s AS tech
    ) p
    CROSS JOIN LATERAL (
        SELECT CASE WHEN c.created > %(recent)s
                    THEN CASE WHEN g %% 2 = 0 THEN 'new' ELSE 'assigned' END
                    WHEN g %% 20 = 0 THEN 'cancelled'
                    WHEN g %% 20 IN (1, 2, 3) THEN 'resolved'
                    ELSE 'closed' END AS state,
               g %% 2 = 0 AS onsite,
               0.25 + (g::bigint * 37 %% 800) / 100.0 AS r,
               2 + (g::bigint * 53 %% 3000) / 100.0 AS arrival_extra,
               1 + g %% 5 AS w,
               (g::bigint * 71 %% 4800) / 100.0 AS x
    ) s
    CROSS JOIN LATERAL (
        SELECT s.state IN ('resolved', 'closed') AS done,
               s.state IN ('resolved', 'closed') AND g %% 25 = 0 AS reopened
    ) d
    CROSS JOIN LATERAL (
        SELECT CASE WHEN d.done AND s.onsite THEN CASE WHEN g %% 10 = 0 THEN 2 ELSE 1 END
                    ELSE 0 END AS v,
               s.r + s.arrival_extra AS a
    ) e
    CROSS JOIN LATERAL (
        SELECT CASE WHEN s.onsite THEN e.a + greatest(e.v - 1, 0) * 24 + s.w + s.x
                    ELSE s.r + 1 + s.x END AS res
    ) f
    CROSS JOIN LATERAL (
        SELECT CASE WHEN d.done THEN c.created + make_interval(secs => s.r * 3600) END
                   AS accepted,
               CASE WHEN d.done AND s.onsite THEN c.created + make_interval(secs => e.a * 3600)
                   END AS arrival,
               CASE WHEN d.done THEN c.created + make_interval(secs => f.res * 3600) END
                   AS resolved,
               CASE WHEN s.state = 'closed'
                    THEN c.created + make_interval(secs => (f.res + 48) * 3600) END AS closed
    ) t
    CROSS JOIN LATERAL (
        SELECT CASE WHEN s.state = 'cancelled' THEN 'none'
                    WHEN NOT d.done THEN 'pending'
                    WHEN s.r <= 4 THEN 'met' ELSE 'failed' END AS response,
               CASE WHEN s.state = 'cancelled' OR NOT s.onsite THEN 'none'
                    WHEN NOT d.done THEN 'pending'
                    WHEN e.a <= 24 THEN 'met' ELSE 'failed' END AS arrival,
               CASE WHEN s.state = 'cancelled' THEN 'none'
                    WHEN NOT d.done THEN 'pending'
                    WHEN f.res <= 72 THEN 'met' ELSE 'failed' END AS resolution
    ) u
    RETURNING id
"""

# The ticket's done visits, one a day from its arrival, each of kpi_labour_hours /
# kpi_done_visit_count hours, with the ticket's technician.
VISIT_INSERT = """
    INSERT INTO aftersales_visit (
        name, ticket_id, company_id, team_id, partner_id, address_id, state,
        scheduled_start, scheduled_end, date_departure, check_in, check_out,
        travel_hours, work_hours, no_parts_used, report_complete, is_report_incomplete,
        create_date, write_date, create_uid, write_uid)
    SELECT 'KPIB-V' || t.id || '-' || n, t.id, t.company_id, t.team_id, t.partner_id,
           t.partner_id, 'done',
           v.check_in - interval '15 minutes',
           v.check_in + make_interval(secs => v.hours * 3600) - interval '15 minutes',
           v.check_in - interval '30 minutes', v.check_in,
           v.check_in + make_interval(secs => v.hours * 3600),
           0.5, v.hours, true, true, false,
           t.date_arrival - interval '1 day', t.date_resolved, 1, 1
      FROM aftersales_ticket t
      JOIN generate_series(1, 2) n ON n <= t.kpi_done_visit_count
     CROSS JOIN LATERAL (
        SELECT t.date_arrival + (n - 1) * interval '1 day' AS check_in,
               t.kpi_labour_hours / t.kpi_done_visit_count AS hours
     ) v
     WHERE t.id BETWEEN %(lo)s AND %(hi)s AND t.name LIKE 'KPIB-%%'
"""

VISIT_TECHNICIAN_INSERT = """
    INSERT INTO aftersales_visit_employee_rel (visit_id, employee_id)
    SELECT v.id, t.technician_id
      FROM aftersales_visit v
      JOIN aftersales_ticket t ON t.id = v.ticket_id
     WHERE v.ticket_id BETWEEN %(lo)s AND %(hi)s AND v.name LIKE 'KPIB-V%%'
"""

RATING_INSERT = """
    INSERT INTO rating_rating (
        res_model, res_model_id, res_id, res_name, rating, rating_text, consumed, is_internal,
        access_token, partner_id, rated_partner_id, create_date, write_date,
        create_uid, write_uid)
    SELECT 'aftersales.ticket', %(model)s, t.id, t.name, t.rating_last_value,
           CASE t.rating_last_value WHEN 5 THEN 'top' WHEN 3 THEN 'ok' ELSE 'ko' END,
           true, false, md5('kpib-rating-' || t.id), t.partner_id, NULL,
           t.date_resolved + interval '1 day', t.date_resolved + interval '1 day', 1, 1
      FROM aftersales_ticket t
     WHERE t.id BETWEEN %(lo)s AND %(hi)s AND t.name LIKE 'KPIB-%%'
       AND t.rating_last_value > 0
"""

# Confirmed penalties for a quarter of the late arrivals, rewards for a tenth of the
# five-star ratings.
PENALTY_INSERT = """
    INSERT INTO aftersales_penalty (
        employee_id, rule_id, kind, company_id, ticket_id, date, amount, points, state,
        reason, auto_raised, create_date, write_date, create_uid, write_uid)
    SELECT t.technician_id, rule.id, rule.kind, t.company_id, t.id, t.date_resolved::date,
           rule.amount, rule.points, 'confirmed', 'KPI benchmark', false,
           t.date_resolved, t.date_resolved, 1, 1
      FROM aftersales_ticket t
      JOIN aftersales_penalty_rule rule
        ON (rule.id = %(penalty_rule)s AND t.sla_arrival_state = 'failed' AND t.id %% 4 = 0)
        OR (rule.id = %(reward_rule)s AND t.rating_last_value = 5 AND t.id %% 10 = 0)
     WHERE t.id BETWEEN %(lo)s AND %(hi)s AND t.name LIKE 'KPIB-%%'
"""


def create_masters(env, technicians, teams):
    """Technicians, teams, categories, products, customers and rules, through the ORM."""
    company = env.company
    employees = env["hr.employee"].create(
        [
            {"name": f"KPI bench technician {i:02d}", "company_id": company.id}
            for i in range(technicians)
        ]
    )
    team_records = env["aftersales.team"].create(
        [
            {
                "name": f"KPI bench team {j}",
                "company_id": company.id,
                "leader_id": employees[j].id,
                "member_ids": [
                    Command.set([e.id for i, e in enumerate(employees) if i % teams == j])
                ],
            }
            for j in range(teams)
        ]
    )
    # Even tickets are on site: categories 1 and 3 of the array (g % 4 = 0 or 2).
    categories = env["aftersales.category"].create(
        [
            {"name": "KPI bench on-site repair", "onsite_service": True},
            {"name": "KPI bench remote support", "onsite_service": False},
            {"name": "KPI bench installation", "onsite_service": True},
            {"name": "KPI bench spare part", "onsite_service": False},
        ]
    )
    products = env["product.product"].create(
        [{"name": f"KPI bench appliance {i:02d}"} for i in range(30)]
    )
    zones = env["aftersales.zone"].search([], order="id")
    partners = env["res.partner"].create(
        [
            {
                "name": f"KPI bench customer {i:03d}",
                "is_company": True,
                "aftersales_zone_id": zones[i % len(zones)].id if zones else False,
            }
            for i in range(500)
        ]
    )
    rules = env["aftersales.penalty.rule"].create(
        [
            {"code": "KPIB_LATE", "name": "KPI bench late arrival", "kind": "penalty"}
            | {"amount": 50.0, "points": 2.0},
            {"code": "KPIB_FIVE_STARS", "name": "KPI bench five stars", "kind": "reward"}
            | {"amount": 20.0, "points": 1.0},
        ]
    )
    policy = env["aftersales.sla.policy"].search([("company_id", "=", company.id)], limit=1)
    env.flush_all()
    return {
        "company": company.id,
        "technicians": employees.ids,
        "techs": len(employees),
        "teams": team_records.ids,
        "categories": categories.ids,
        "products": products.ids,
        "partners": partners.ids,
        "policy": policy.id or None,
        "penalty_rule": rules[0].id,
        "reward_rule": rules[1].id,
    }


def insert_data(env, args, now):
    """Insert ``args.tickets`` tickets and their visits, ratings and penalties; return the
    row counts."""
    cr = env.cr
    count, batch = args.tickets, args.batch
    params = create_masters(env, args.technicians, args.teams)
    start = now - relativedelta(years=3)
    params.update(
        start=start,
        span=(now - start).total_seconds(),
        total=count,
        recent=now - timedelta(days=14),
        model=env["ir.model"]._get_id("aftersales.ticket"),
    )
    rows = dict.fromkeys(["tickets", "visits", "visit technicians", "ratings", "penalties"], 0)
    for lo in range(1, count + 1, batch):
        cr.execute(TICKET_INSERT, dict(params, lo=lo, hi=min(lo + batch - 1, count)))
        ids = [row[0] for row in cr.fetchall()]
        rows["tickets"] += len(ids)
        bounds = dict(params, lo=min(ids), hi=max(ids))
        for key, query in (
            ("visits", VISIT_INSERT),
            ("visit technicians", VISIT_TECHNICIAN_INSERT),
            ("ratings", RATING_INSERT),
            ("penalties", PENALTY_INSERT),
        ):
            cr.execute(query, bounds)
            rows[key] += cr.rowcount
        print(f"  {rows['tickets']:,} / {count:,} tickets", file=sys.stderr, flush=True)
    for table in TOUCHED_TABLES:
        cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
    env.invalidate_all()
    return rows


@contextmanager
def capture_queries(cr, marker):
    """Collect the SQL objects executed on ``cr`` whose code mentions ``marker``."""
    captured = []
    execute = cr.execute

    def wrapper(query, params=None, log_exceptions=True):
        if isinstance(query, SQL) and marker in query.code:
            captured.append(query)
        return execute(query, params, log_exceptions)

    cr.execute = wrapper
    try:
        yield captured
    finally:
        del cr.execute


def measure(env, rounds, run):
    """Median wall time and queries of ``rounds`` runs of ``run()`` after a warm-up."""
    cr = env.cr
    results = []
    for round_ in range(rounds + 1):
        env.invalidate_all()
        queries = cr.sql_log_count
        start = time.perf_counter()
        outcome = run()
        env.flush_all()
        elapsed = time.perf_counter() - start
        if round_:  # the first run is the warm-up
            results.append((elapsed, cr.sql_log_count - queries))
    return (
        statistics.median(r[0] for r in results),
        int(statistics.median(r[1] for r in results)),
        outcome,
    )


def last_full_quarter(day):
    current = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return current - relativedelta(months=3), current


def sizes(cr, db):
    cr.execute(
        """
        SELECT pg_database_size(%s), pg_relation_size('aftersales_ticket'),
               pg_indexes_size('aftersales_ticket'), pg_total_relation_size('aftersales_ticket'),
               pg_total_relation_size('aftersales_visit'),
               pg_total_relation_size('rating_rating'),
               pg_total_relation_size('aftersales_penalty'),
               (SELECT count(*) FROM aftersales_kpi_report)
        """,
        [db],
    )
    return cr.fetchone()


def vacuum(db):
    odoo_env.vacuum(db, TOUCHED_TABLES)


def time_grouped_reads(env, args, quarter_start, quarter_stop):
    Report = env["aftersales.kpi.report"]
    quarter = [
        ("date_created", ">=", datetime.combine(quarter_start, datetime.min.time())),
        ("date_created", "<", datetime.combine(quarter_stop, datetime.min.time())),
    ]
    results = []
    # The pivot groups months in the user's time zone; the benchmark also times UTC.
    tz = env.user.tz or "UTC"
    for label, domain, context in (
        ("all 3 years, months without time zone", [], {}),
        (f"all 3 years, months in the user's zone ({tz})", [], {"tz": tz}),
        (f"{quarter_start:%Y} Q{quarter_start.month // 3 + 1}, {tz} months", quarter, {"tz": tz}),
    ):
        report = Report.with_context(**context)
        elapsed, queries, groups = measure(
            env, args.rounds, lambda d=domain, r=report: r._read_group(d, GROUPBY, AGGREGATES)
        )
        results.append((f"grouped read, {label}", elapsed, queries, f"{len(groups):,} groups"))
    if args.explain:
        cr = env.cr
        with capture_queries(cr, "aftersales_kpi_report") as captured:
            Report._read_group([], GROUPBY, AGGREGATES)
        print("-- SQL of the full grouped read:", file=sys.stderr)
        print(cr.mogrify(captured[-1]).decode(), file=sys.stderr)
        cr.execute(SQL("EXPLAIN (ANALYZE, BUFFERS) %s", captured[-1]))
        print("\n".join(row[0] for row in cr.fetchall()), file=sys.stderr)
    return results


def time_wizard(env, args, quarter_start):
    cr = env.cr

    def generate():
        # Each run starts from the same state: no evaluation of the quarter yet.
        cr.execute("SAVEPOINT kpi_bench_wizard")
        wizard = env["aftersales.evaluation.generate"].create(
            {
                "period_type": "quarter",
                "date_reference": quarter_start + timedelta(days=45),
                "evaluated": "employee",
            }
        )
        count = len(wizard._generate())
        env.flush_all()
        cr.execute("ROLLBACK TO SAVEPOINT kpi_bench_wizard")
        env.invalidate_all()
        return count

    elapsed, queries, evaluations = measure(env, args.rounds, generate)
    label = f"evaluation wizard, quarter from {quarter_start}"
    return label, elapsed, queries, f"{evaluations} evaluations"


def print_report(args, setup, rows, results, stats):
    def mb(size):
        return f"{size / 2**20:,.0f} MB"

    database, heap, indexes, total, visits, ratings, penalties, report_rows = stats
    print(f"{rows['tickets']:,} tickets with their visits, ratings, penalties in {setup:.0f} s")
    print(f"| measure (median of {args.rounds} after a warm-up) | wall time | queries | result |")
    print("|---|---|---|---|")
    for label, elapsed, queries, outcome in results:
        print(f"| {label} | {elapsed:.2f} s | {queries:,} | {outcome} |")
    print()
    print("| rows and sizes with the data in | |")
    print("|---|---|")
    for key, value in rows.items():
        print(f"| {key} inserted | {value:,} |")
    print(f"| aftersales_kpi_report rows | {report_rows:,} |")
    print(f"| database {args.db} | {mb(database)} |")
    print(
        f"| aftersales_ticket heap / indexes / total | {mb(heap)} / {mb(indexes)} / {mb(total)} |"
    )
    print(f"| aftersales_visit total | {mb(visits)} |")
    print(f"| rating_rating total | {mb(ratings)} |")
    print(f"| aftersales_penalty total | {mb(penalties)} |")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default=os.environ.get("AFTERSALES_DB", "aftersales_demo"))
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=200_000, help="tickets per INSERT")
    parser.add_argument("--technicians", type=int, default=40)
    parser.add_argument("--teams", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE to stderr")
    parser.add_argument("--no-vacuum", action="store_true", help="skip the final VACUUM")
    parser.add_argument("--json", help="also write the result rows to this file")
    args = parser.parse_args()
    registry = open_registry(args.db)
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)  # naive UTC, as stored
    quarter_start, quarter_stop = last_full_quarter(now.date())
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        start = time.perf_counter()
        rows = insert_data(env, args, now)
        setup = time.perf_counter() - start
        results = time_grouped_reads(env, args, quarter_start, quarter_stop)
        results.append(time_wizard(env, args, quarter_start))
        stats = sizes(cr, args.db)
        cr.rollback()  # leave the database as it was
    if not args.no_vacuum:
        vacuum(args.db)
    print_report(args, setup, rows, results, stats)
    if args.json:
        write_json(args, results)


def write_json(args, results):
    rows = [
        {
            "operation": f"KPI {label} at {args.tickets:,} tickets",
            "ours_s": round(elapsed, 3),
            "reference_s": None,
            "ratio": None,
            "queries_ours": queries,
            "queries_reference": None,
            "note": outcome + ("; goal < 1 s" if label.startswith("grouped read") else ""),
        }
        for label, elapsed, queries, outcome in results
    ]
    with open(args.json, "w", encoding="utf-8") as handle:
        json.dump(rows, handle, indent=1)


if __name__ == "__main__":
    main()
