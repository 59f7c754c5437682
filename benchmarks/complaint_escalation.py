#!/usr/bin/env python3
"""Time the SLA escalation cron run that also escalates complaints.

Usage (from the repository root, a database with aftersales_service installed):
    .venv/bin/python benchmarks/complaint_escalation.py --db aftersales_demo
        [--tickets 100000] [--complaints 10000] [--due 0.01] [--complaints-due 0.1]
Tickets and complaints are inserted with SQL (the ORM would take far longer than the cron
being measured), the cron runs through the ORM, and everything is rolled back.
"""

import argparse
import os
import time

from odoo_env import open_registry
from sla_escalation import insert_tickets

import odoo
from odoo import api


def insert_complaints(env, count, due_share):
    """``count`` open complaints, acknowledged, whose answer deadline has passed for a
    share of them; the others are due in two days."""
    cr = env.cr
    company = env.company
    partner = env["res.partner"].create({"name": "Complaint bench customer"})
    complaint_type = env.ref("aftersales_service.complaint_type_behaviour")
    every = max(round(1 / due_share), 1)
    cr.execute(
        """
        INSERT INTO aftersales_complaint (
            name, company_id, partner_id, commercial_partner_id, channel, subject, type_id,
            severity, state, date_received, date_acknowledged, reopen_count,
            create_date, write_date, create_uid, write_uid,
            deadline_acknowledge, warn_acknowledge, deadline_answer, warn_answer,
            acknowledge_warned, acknowledge_escalated, answer_warned, answer_escalated,
            next_check)
        SELECT 'CPBENCH-' || g, %(company)s, %(partner)s, %(partner)s, 'phone', 'company',
               %(type)s, 'normal', 'acknowledged',
               now() at time zone 'UTC' - interval '3 days',
               now() at time zone 'UTC' - interval '3 days', 0,
               now() at time zone 'UTC', now() at time zone 'UTC', 1, 1,
               now() at time zone 'UTC' - interval '2 days',
               now() at time zone 'UTC' - interval '2 days',
               CASE WHEN g %% %(every)s = 0 THEN now() at time zone 'UTC' - interval '1 minute'
                    ELSE now() at time zone 'UTC' + interval '2 days' END,
               now() at time zone 'UTC' + interval '1 day',
               false, false, false, false,
               CASE WHEN g %% %(every)s = 0 THEN now() at time zone 'UTC' - interval '1 minute'
                    ELSE now() at time zone 'UTC' + interval '1 day' END
          FROM generate_series(1, %(count)s) g
        """,
        {
            "company": company.id,
            "partner": partner.id,
            "type": complaint_type.id,
            "every": every,
            "count": count,
        },
    )
    cr.execute("ANALYZE aftersales_complaint")
    return count // every


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default=os.environ.get("AFTERSALES_DB", "aftersales_demo"))
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--complaints", type=int, default=10_000)
    parser.add_argument("--due", type=float, default=0.01)
    parser.add_argument("--complaints-due", type=float, default=0.1)
    args = parser.parse_args()
    registry = open_registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        start = time.perf_counter()
        tickets_due = insert_tickets(env, args.tickets, args.due)
        complaints_due = insert_complaints(env, args.complaints, args.complaints_due)
        setup = time.perf_counter() - start
        Ticket = env["aftersales.ticket"]
        limit = max(tickets_due, complaints_due) * 2
        # The complaints' share of the run, timed around the call the ticket cron makes.
        Complaint = type(env["aftersales.complaint"])
        escalate = Complaint._cron_escalate
        share = {}

        def timed(model, *args, **kwargs):
            began = time.perf_counter()
            result = escalate(model, *args, **kwargs)
            model.env.flush_all()
            share["complaints"] = time.perf_counter() - began
            return result

        Complaint._cron_escalate = timed
        rows = []
        try:
            for run in ("first run", "second run (nothing left to do)"):
                env.invalidate_all()
                queries = cr.sql_log_count
                start = time.perf_counter()
                Ticket._cron_sla_escalate(limit=limit)
                env.flush_all()
                rows.append(
                    (
                        run,
                        time.perf_counter() - start,
                        share.pop("complaints"),
                        cr.sql_log_count - queries,
                    )
                )
        finally:
            Complaint._cron_escalate = escalate
        escalated = env["aftersales.complaint"].search_count(
            [("name", "=like", "CPBENCH-%"), ("answer_escalated", "=", True)]
        )
        activities = env["mail.activity"].search_count([("res_model", "=", "aftersales.complaint")])
        cr.rollback()
    print(
        f"{args.tickets:,} open tickets ({tickets_due:,} due) and {args.complaints:,} open "
        f"complaints ({complaints_due:,} due) inserted in {setup:.1f} s"
    )
    print("| SLA cron run | wall time, tickets + complaints | of which complaints | queries |")
    print("|---|---|---|---|")
    for run, elapsed, complaints, queries in rows:
        print(f"| {run} | {elapsed:.2f} s | {complaints:.2f} s | {queries:,} |")
    print(
        f"complaints escalated after the runs: {escalated:,}; complaint activities {activities:,}"
    )
    if escalated != complaints_due:
        raise SystemExit(f"expected {complaints_due} escalated complaints, found {escalated}")


if __name__ == "__main__":
    main()
