#!/usr/bin/env python3
"""Time a service centre's monthly settlement (aftersales.settlement) over its finished
jobs.

Usage (from the repository root, a database with aftersales_service installed):
    .venv/bin/python benchmarks/center_settlement.py --db aftersales_demo
        [--jobs 2000] [--rounds 3]
A centre with an agreement (a job rate per ticket category, an hourly rate, a travel
allowance per zone) is created through the ORM, and --jobs finished visits in one month,
spread over customers in three zones and the ticket categories, are copied with SQL from
one ticket and visit made through the ORM; the settlement's
computation (action_compute: the lines and totals) is timed as the median of --rounds
runs, then the submission and the manager's approval that drafts the vendor bill.
Everything is rolled back.
"""

import argparse
import os
import statistics
import time
from datetime import datetime, timedelta

from odoo_env import open_registry

import odoo
from odoo import Command, api

MONTH = datetime(2031, 3, 1)


def setup(env, jobs):
    env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
    Zone = env["aftersales.zone"]
    zones = Zone.create([{"name": f"Bench zone {i}", "arrival_hours": 4} for i in range(3)])
    customers = env["res.partner"].create(
        [{"name": f"Bench customer {i}", "aftersales_zone_id": zones[i % 3].id} for i in range(60)]
    )
    categories = env["aftersales.category"].search([])
    center = env["res.partner"].create(
        {"name": "Bench Service Centre", "is_company": True, "aftersales_is_service_center": True}
    )
    env["aftersales.service.agreement"].create(
        {
            "name": "BENCH-SC",
            "partner_id": center.id,
            "date_start": "2031-01-01",
            "date_end": "2031-12-31",
            "hourly_rate": 60,
            "rate_ids": [
                Command.create({"category_id": category.id, "amount": 100 + 10 * i})
                for i, category in enumerate(categories)
            ],
            "travel_ids": [
                Command.create({"zone_id": zone.id, "amount": 30 + 10 * i})
                for i, zone in enumerate(zones)
            ],
        }
    )
    # One ticket and one visit through the ORM, copied by SQL: a month of finished jobs.
    template = env["aftersales.ticket"].create(
        {
            "partner_id": customers[0].id,
            "category_id": categories[0].id,
            "service_center_id": center.id,
        }
    )
    visit = env["aftersales.visit"].create(
        {
            "ticket_id": template.id,
            "service_center_id": center.id,
            "scheduled_start": MONTH,
            "scheduled_end": MONTH + timedelta(hours=2),
        }
    )
    env.flush_all()
    cr = env.cr

    def columns(table, *skip):
        cr.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s",
            [table],
        )
        return [c for (c,) in cr.fetchall() if c not in ("id", *skip)]

    ticket_cols = columns("aftersales_ticket", "name", "partner_id", "category_id")
    cr.execute(
        f"""
        INSERT INTO aftersales_ticket (name, partner_id, category_id, {", ".join(ticket_cols)})
        SELECT 'SCBENCH-' || g, (%(customers)s)[1 + g %% %(nc)s],
               (%(categories)s)[1 + g %% %(ncat)s], {", ".join("t." + c for c in ticket_cols)}
          FROM aftersales_ticket t, generate_series(1, %(jobs)s) g
         WHERE t.id = %(template)s
        """,
        {
            "customers": customers.ids,
            "nc": len(customers),
            "categories": categories.ids,
            "ncat": len(categories),
            "jobs": jobs,
            "template": template.id,
        },
    )
    visit_cols = columns(
        "aftersales_visit",
        "name",
        "ticket_id",
        "state",
        "check_in",
        "check_out",
        "work_hours",
        "service_center_id",
    )
    cr.execute(
        f"""
        INSERT INTO aftersales_visit (name, ticket_id, state, check_in, check_out, work_hours,
                                      service_center_id, {", ".join(visit_cols)})
        SELECT t.name || '-V1', t.id, 'done',
               %(month)s + (g %% 600) * interval '1 hour',
               %(month)s + (g %% 600) * interval '1 hour' + (45 + g %% 120) * interval '1 minute',
               round((45 + g %% 120) / 60.0, 2), %(center)s,
               {", ".join("v." + c for c in visit_cols)}
          FROM (SELECT id, name, row_number() OVER (ORDER BY id) AS g
                  FROM aftersales_ticket WHERE name LIKE 'SCBENCH-%%') t,
               aftersales_visit v
         WHERE v.id = %(visit)s
        """,
        {"month": MONTH, "center": center.id, "visit": visit.id},
    )
    # The jobs are the centre's: their tickets are dispatched to it too.
    cr.execute(
        "UPDATE aftersales_ticket SET service_center_id = %s WHERE name LIKE 'SCBENCH-%%'",
        [center.id],
    )
    env.invalidate_all()
    env.flush_all()
    return center


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default=os.environ.get("AFTERSALES_DB", "aftersales_demo"))
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    registry = open_registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        start = time.perf_counter()
        center = setup(env, args.jobs)
        created = time.perf_counter() - start
        settlement = env["aftersales.settlement"].create(
            {"partner_id": center.id, "date_from": MONTH.date()}
        )
        timings = []
        for _round in range(args.rounds + 1):
            env.invalidate_all()
            queries = cr.sql_log_count
            began = time.perf_counter()
            settlement.action_compute()
            env.flush_all()
            timings.append((time.perf_counter() - began, cr.sql_log_count - queries))
        compute = statistics.median(t for t, _q in timings[1:])
        compute_queries = timings[-1][1]
        assert len(settlement.line_ids) == args.jobs, len(settlement.line_ids)
        total = settlement.amount_total
        settlement.action_submit()
        env.invalidate_all()
        began = time.perf_counter()
        settlement.action_approve()
        env.flush_all()
        approve = time.perf_counter() - began
        bill_total = settlement.move_id.amount_total
        cr.rollback()
    print(f"{args.jobs:,} finished jobs of one centre in a month, created in {created:.1f} s")
    print("| step | wall time | queries |")
    print("|---|---|---|")
    print(
        f"| compute the settlement (median of {args.rounds}) | {compute:.2f} s | "
        f"{compute_queries:,} |"
    )
    print(f"| approve: lock, re-check, draft vendor bill | {approve:.2f} s | - |")
    print(f"Total {total:,.2f}; vendor bill {bill_total:,.2f}")


if __name__ == "__main__":
    main()
