#!/usr/bin/env python3
"""Time the ticket cost report (aftersales.kpi.report cost measures) grouped by team x
month over a million tickets, and a 50-line parts request from approval to its transfer.

Usage (from the repository root, a database with aftersales_service installed):
    .venv/bin/python benchmarks/cost_report.py --db aftersales_demo
        [--tickets 1000000] [--batch 200000] [--technicians 40] [--teams 6]
        [--lines 50] [--rounds 3] [--explain] [--no-vacuum] [--json rows.json]
The tickets are the KPI benchmark's (benchmarks/kpi_report.py: 3 years, SQL inserts);
their stored cost figures (parts, labour, expenses, fund drawings, waivers, invoiced) are
then filled by SQL the way _aftersales_update_costs() writes them, 60 % of tickets with
costs. The grouped read team x month is the "Ticket Costs" pivot. The parts request run
creates 50 storable parts with stock, a van beside the warehouse stock and a request as a
technician; the approval (lock, limit check, internal transfer, confirmation,
reservation) is timed as customer service. Everything is rolled back, then the touched
tables are vacuumed (FULL).
"""

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime

import kpi_report
from kpi_report import capture_queries, measure
from odoo_env import open_registry

import odoo
from odoo import Command, api
from odoo.tools import SQL

GROUPBY = ["team_id", "date_created:month"]
AGGREGATES = [
    "__count",
    "cost_total:sum",
    "amount_invoiced:sum",
    "warranty_cost:sum",
    "paid_revenue:sum",
]
TOUCHED_TABLES = [
    *kpi_report.TOUCHED_TABLES,
    "aftersales_part_request",
    "aftersales_part_request_line",
    "stock_picking",
    "stock_move",
    "stock_move_line",
    "stock_quant",
]

# Costs as _aftersales_update_costs() stores them, pseudo-random from the id: 60 % of
# tickets with parts and labour, some with expenses, drawings, waivers and invoices.
COST_UPDATE = """
UPDATE aftersales_ticket SET
    cost_parts = c.parts, cost_labour = c.labour, cost_expense = c.expense,
    cost_fund = c.fund, cost_waiver = c.waiver,
    cost_total = c.parts + c.labour + c.expense + c.fund + c.waiver,
    amount_invoiced = CASE WHEN warranty_state != 'in' AND id %% 5 < 3 THEN 450 ELSE 0 END
FROM (
    SELECT id AS ticket_id,
           CASE WHEN id %% 5 < 3 THEN (id %% 7) * 40 ELSE 0 END AS parts,
           CASE WHEN id %% 5 < 3 THEN (id %% 4 + 1) * 55 ELSE 0 END AS labour,
           CASE WHEN id %% 10 = 0 THEN 120 ELSE 0 END AS expense,
           CASE WHEN id %% 97 = 0 THEN 800 ELSE 0 END AS fund,
           CASE WHEN id %% 31 = 0 THEN 50 ELSE 0 END AS waiver
      FROM aftersales_ticket
     WHERE id BETWEEN %(lo)s AND %(hi)s
) c
WHERE aftersales_ticket.id = c.ticket_id
"""


def fill_costs(env, args):
    cr = env.cr
    cr.execute("SELECT min(id), max(id) FROM aftersales_ticket")
    first, last = cr.fetchone()
    for lo in range(first, last + 1, args.batch):
        bounds = {"lo": lo, "hi": lo + args.batch - 1}
        cr.execute(COST_UPDATE, bounds)
    cr.execute("ANALYZE aftersales_ticket")
    env.invalidate_all()


def time_cost_report(env, args):
    Report = env["aftersales.kpi.report"]
    tz = env.user.tz or "UTC"
    results = []
    for label, context in (("months without time zone", {}), (f"months in {tz}", {"tz": tz})):
        report = Report.with_context(**context)
        elapsed, queries, groups = measure(
            env, args.rounds, lambda r=report: r._read_group([], GROUPBY, AGGREGATES)
        )
        results.append(
            (
                f"cost report team x month at {args.tickets:,} tickets, {label}",
                elapsed,
                queries,
                f"{len(groups):,} groups; goal < 1 s",
            )
        )
    if args.explain:
        with capture_queries(env.cr, "aftersales_kpi_report") as captured:
            Report._read_group([], GROUPBY, AGGREGATES)
        env.cr.execute(SQL("EXPLAIN (ANALYZE, BUFFERS) %s", captured[-1]))
        print("\n".join(row[0] for row in env.cr.fetchall()), file=sys.stderr)
    return results


def parts_request_fixtures(env, lines):
    env = env(context=dict(env.context, no_reset_password=True))
    company = env.company
    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    van = env["stock.location"].create(
        {
            "name": "Benchmark Van",
            "usage": "internal",
            "location_id": warehouse.view_location_id.id,
        }
    )
    groups = "base.group_user,aftersales_service.group_aftersales_technician"
    tech_user = env["res.users"].create(
        {
            "name": "Bench Tech",
            "login": "bench_parts_tech",
            "email": "bench_parts_tech@example.com",
            "groups_id": [Command.set([])],
        }
    )
    tech_user.groups_id = [Command.link(env.ref(g).id) for g in groups.split(",")]
    rep_user = env["res.users"].create(
        {
            "name": "Bench Rep",
            "login": "bench_parts_rep",
            "email": "bench_parts_rep@example.com",
            "aftersales_approval_limit": 10**9,
        }
    )
    rep_user.groups_id = [
        Command.link(env.ref("aftersales_service.group_aftersales_user").id),
    ]
    employee = env["hr.employee"].create(
        {"name": "Bench Tech", "user_id": tech_user.id, "aftersales_location_id": van.id}
    )
    products = env["product.product"].create(
        [
            {"name": f"Bench Part {i}", "is_storable": True, "standard_price": 10 + i}
            for i in range(lines)
        ]
    )
    Quant = env["stock.quant"]
    for product in products:
        Quant._update_available_quantity(product, warehouse.lot_stock_id, 100)
    env.flush_all()
    return employee, tech_user, rep_user, products


def time_parts_request(env, args):
    cr = env.cr
    employee, tech_user, rep_user, products = parts_request_fixtures(env, args.lines)

    def approve():
        cr.execute("SAVEPOINT parts_bench")
        request = (
            env["aftersales.part.request"]
            .with_user(tech_user)
            .create(
                {
                    "employee_id": employee.id,
                    "line_ids": [
                        Command.create({"product_id": product.id, "quantity": 2})
                        for product in products
                    ],
                }
            )
        )
        env.flush_all()
        request = request.with_user(rep_user)
        start = time.perf_counter()
        queries = cr.sql_log_count
        request.action_approve()
        env.flush_all()
        took = (time.perf_counter() - start, cr.sql_log_count - queries)
        moves = len(request.picking_id.move_ids)
        state = request.picking_id.state
        cr.execute("ROLLBACK TO SAVEPOINT parts_bench")
        env.invalidate_all()
        return took, moves, state

    runs = [approve() for _round in range(args.rounds + 1)][1:]
    runs.sort(key=lambda run: run[0][0])
    (elapsed, queries), moves, state = runs[len(runs) // 2]
    return (
        f"parts request approval -> transfer, {args.lines} lines",
        elapsed,
        queries,
        f"{moves} moves, transfer {state}; goal < 1 s",
    )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default=os.environ.get("AFTERSALES_DB", "aftersales_demo"))
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=200_000, help="tickets per INSERT")
    parser.add_argument("--technicians", type=int, default=40)
    parser.add_argument("--teams", type=int, default=6)
    parser.add_argument("--lines", type=int, default=50, help="lines of the parts request")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE to stderr")
    parser.add_argument("--no-vacuum", action="store_true", help="skip the final VACUUM")
    parser.add_argument("--json", help="also write the result rows to this file")
    args = parser.parse_args()
    registry = open_registry(args.db)
    now = datetime.now(UTC).replace(tzinfo=None, microsecond=0)  # naive UTC, as stored
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        start = time.perf_counter()
        rows = kpi_report.insert_data(env, args, now)
        fill_costs(env, args)
        setup = time.perf_counter() - start
        results = time_cost_report(env, args)
        for row in results:  # as soon as measured
            print("measured:", row, file=sys.stderr, flush=True)
        results.append(time_parts_request(env, args))
        cr.rollback()  # leave the database as it was
    if not args.no_vacuum:
        kpi_report.odoo_env.vacuum(args.db, TOUCHED_TABLES)
    print(f"{rows['tickets']:,} tickets with costs in {setup:.0f} s")
    print(f"| measure (median of {args.rounds} after a warm-up) | wall time | queries | result |")
    print("|---|---|---|---|")
    for label, elapsed, queries, outcome in results:
        print(f"| {label} | {elapsed:.3f} s | {queries:,} | {outcome} |")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(
                [
                    {
                        "operation": label,
                        "ours_s": round(elapsed, 3),
                        "reference_s": None,
                        "ratio": None,
                        "queries_ours": queries,
                        "queries_reference": None,
                        "note": outcome,
                    }
                    for label, elapsed, queries, outcome in results
                ],
                handle,
                indent=1,
            )


if __name__ == "__main__":
    main()
