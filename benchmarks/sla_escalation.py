#!/usr/bin/env python3
"""Time one SLA escalation cron run over many open tickets, a share of them due.

Usage (from the repository root, a database with aftersales_service installed):
    .venv/bin/python benchmarks/sla_escalation.py --db aftersales_demo
        [--tickets 100000] [--due 0.01]
The tickets are inserted with SQL (the ORM would take far longer than the cron being
measured), the cron runs through the ORM, and everything is rolled back.
"""

import argparse
import os
import time

from odoo_env import open_registry

import odoo
from odoo import api


def insert_tickets(env, count, due_share):
    cr = env.cr
    company = env.company
    partner = env["res.partner"].create({"name": "SLA bench customer"})
    policy = env["aftersales.sla.policy"].search([("company_id", "=", company.id)], limit=1)
    every = max(round(1 / due_share), 1)
    cr.execute(
        """
        INSERT INTO aftersales_ticket (
            name, company_id, partner_id, commercial_partner_id, channel, priority, state,
            create_date, write_date, create_uid, write_uid, reopen_count,
            sla_policy_id, deadline_response, sla_warn_response,
            deadline_resolution, sla_warn_resolution,
            sla_response_state, sla_arrival_state, sla_resolution_state, sla_status,
            sla_next_check)
        SELECT 'BENCH-' || g, %(company)s, %(partner)s, %(partner)s, 'phone', '1', 'new',
               now() at time zone 'UTC' - interval '1 day', now() at time zone 'UTC', 1, 1, 0,
               %(policy)s,
               CASE WHEN g %% %(every)s = 0 THEN now() at time zone 'UTC' - interval '1 minute'
                    ELSE now() at time zone 'UTC' + interval '2 days' END,
               now() at time zone 'UTC' + interval '1 day',
               now() at time zone 'UTC' + interval '5 days',
               now() at time zone 'UTC' + interval '4 days',
               'pending', 'none', 'pending', 'on_track',
               CASE WHEN g %% %(every)s = 0 THEN now() at time zone 'UTC' - interval '1 minute'
                    ELSE now() at time zone 'UTC' + interval '1 day' END
          FROM generate_series(1, %(count)s) g
        """,
        {
            "company": company.id,
            "partner": partner.id,
            "policy": policy.id,
            "every": every,
            "count": count,
        },
    )
    cr.execute("ANALYZE aftersales_ticket")
    return count // every


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default=os.environ.get("AFTERSALES_DB", "aftersales_demo"))
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--due", type=float, default=0.01)
    args = parser.parse_args()
    registry = open_registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        start = time.perf_counter()
        due = insert_tickets(env, args.tickets, args.due)
        setup = time.perf_counter() - start
        Ticket = env["aftersales.ticket"]
        rows = []
        for run in ("first run", "second run (nothing left to do)"):
            env.invalidate_all()
            queries = cr.sql_log_count
            start = time.perf_counter()
            processed = Ticket._cron_sla_escalate(limit=max(due * 2, 100))
            env.flush_all()
            rows.append((run, processed, time.perf_counter() - start, cr.sql_log_count - queries))
        breached = Ticket.search_count(
            [("name", "=like", "BENCH-%"), ("sla_status", "=", "breached")]
        )
        cr.rollback()
    print(f"{args.tickets:,} open tickets inserted in {setup:.1f} s, {due:,} due")
    print("| cron run | tickets escalated | wall time | queries |")
    print("|---|---|---|---|")
    for run, processed, elapsed, queries in rows:
        print(f"| {run} | {processed:,} | {elapsed:.2f} s | {queries:,} |")
    print(f"breached after the runs: {breached:,}")
    if breached != due:
        raise SystemExit(f"expected {due} breached tickets, found {breached}")


if __name__ == "__main__":
    main()
