#!/usr/bin/env python3
"""Time ticket creation the way the helpdesk comparison does (one create() per request,
flush and pre-commit hooks, a Customer Service user, an SLA policy on the company calendar
matching every ticket), for this checkout and, with --baseline, for another checkout of
the repository (an earlier release) on the same machine and database, alternating.

Usage (from the repository root, a database with aftersales_service installed, without
demo data preferably):
    .venv/bin/python benchmarks/ticket_create.py --db aftersales_bench
        [--tickets 1000] [--rounds 3] [--baseline /path/to/earlier/checkout]
        [--pairs 2] [--json out.json]

The OCA reference (helpdesk_mgmt + helpdesk_mgmt_sla) needs their wheels, which
helpdesk_comparison.py installs; where they cannot be installed, the earlier release is
the baseline and the last side-by-side OCA figures are quoted (OCA_REFERENCE).
Each run is rolled back; the table gives medians, queries per ticket and Python CPU.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Side by side on the CI machine before this work (issue 15): OCA helpdesk_mgmt 18.0.1.19.5
# + helpdesk_mgmt_sla 18.0.2.1.1, 1,000 tickets: 15.04 s, 19,112 queries; ours 15.33 s.
OCA_REFERENCE = {"seconds": 15.04, "queries": 19112, "ours_then": 15.33, "tickets": 1000}


def run_in_process(args):
    from odoo_env import open_registry

    from odoo import Command, api
    from odoo.modules.registry import Registry  # noqa: F401

    registry = open_registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, 1, {})
        env = env(context=dict(env.context, mail_create_nosubscribe=True, no_reset_password=True))
        company = env.company
        user = env["res.users"].create(
            {
                "name": "Bench customer service",
                "login": f"bench_create_{time.time_ns()}",
                "notification_type": "inbox",
                "groups_id": [
                    Command.set([env.ref("aftersales_service.group_aftersales_user").id])
                ],
            }
        )
        customers = env["res.partner"].create(
            [
                {
                    "name": f"Create bench customer {i:03d}",
                    "is_company": True,
                    "email": f"customer{i:03d}@create-bench.example.com",
                }
                for i in range(100)
            ]
        )
        team = env["aftersales.team"].create({"name": "Create bench team"})
        category = env["aftersales.category"].create(
            {"name": "Create bench remote support", "onsite_service": False}
        )
        env["aftersales.sla.policy"].create(
            {
                "name": "Create bench policy",
                "sequence": 1,
                "team_ids": [Command.set(team.ids)],
                "category_ids": [Command.set(category.ids)],
                "calendar_id": company.resource_calendar_id.id,
                "response_hours": 24,
                "arrival_from_zone": False,
                "arrival_hours": 4.0,  # unused: the remote category has no arrival target
                "resolution_hours": 72,
            }
        )
        env.flush_all()
        values = [
            {
                "partner_id": customers[i % 100].id,
                "team_id": team.id,
                "category_id": category.id,
                "channel": "phone",
                "priority": "1",
                "description": f"<p>Bench request {i}: the unit stops after a few minutes.</p>",
            }
            for i in range(args.tickets)
        ]
        Ticket = env["aftersales.ticket"].with_user(user)
        Ticket = Ticket.with_context(aftersales_no_customer_mail=True)
        results = []
        for round_ in range(args.rounds + 1):
            savepoint = cr.savepoint()
            queries, cpu, start = cr.sql_log_count, time.process_time(), time.perf_counter()
            tickets = Ticket.browse()
            for vals in values:
                tickets |= Ticket.create(vals)
                cr.flush()
            cr.precommit.run()
            elapsed = time.perf_counter() - start
            cpu, queries = time.process_time() - cpu, cr.sql_log_count - queries
            if len(tickets.sudo().filtered("deadline_resolution")) != args.tickets:
                raise SystemExit("not every ticket got its SLA deadlines")
            savepoint.close(rollback=True)
            if round_:
                results.append((elapsed, queries, cpu))
            print(
                f"  {f'round {round_}' if round_ else 'warm-up'}: {elapsed:.2f} s, "
                f"{queries:,} queries",
                file=sys.stderr,
            )
        cr.rollback()
    return {
        "seconds": statistics.median(r[0] for r in results),
        "queries": int(statistics.median(r[1] for r in results)),
        "cpu": statistics.median(r[2] for r in results),
    }


def run_checkout(args, checkout):
    """One measure in a fresh process with ``checkout`` on the addons path."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        env = dict(os.environ, AFTERSALES_BENCH_REPO=str(checkout))
        command = [
            sys.executable,
            __file__,
            "--db",
            args.db,
            "--tickets",
            str(args.tickets),
            "--rounds",
            str(args.rounds),
            "--in-process",
            out.name,
        ]
        print(f"{checkout}:", file=sys.stderr)
        subprocess.run(command, env=env, check=True)
        return json.loads(Path(out.name).read_text())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--tickets", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", help="another checkout of this repository")
    parser.add_argument("--pairs", type=int, default=2, help="baseline/current alternations")
    parser.add_argument("--json")
    parser.add_argument("--in-process", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.in_process:
        Path(args.in_process).write_text(json.dumps(run_in_process(args)))
        return
    here = Path(__file__).resolve().parent.parent
    measures = {"current": []}
    if args.baseline:
        measures["baseline"] = []
    for _pair in range(args.pairs if args.baseline else 1):
        if args.baseline:
            measures["baseline"].append(run_checkout(args, Path(args.baseline).resolve()))
        measures["current"].append(run_checkout(args, here))
    rows = {
        name: {
            key: statistics.median(m[key] for m in runs) for key in ("seconds", "queries", "cpu")
        }
        for name, runs in measures.items()
    }
    n = args.tickets
    print(f"ticket creation, {n:,} tickets one create() each, database {args.db}")
    print("| code | time | queries | queries/ticket | Python CPU |")
    print("|---|---|---|---|---|")
    for name, row in rows.items():
        print(
            f"| {name} | {row['seconds']:.2f} s | {row['queries']:,.0f} | "
            f"{row['queries'] / n:.1f} | {row['cpu']:.2f} s |"
        )
    if "baseline" in rows:
        speedup = rows["current"]["seconds"] / rows["baseline"]["seconds"]
        ref = OCA_REFERENCE
        print(
            f"\ncurrent / baseline: {speedup:.2f}. Against OCA through the baseline "
            f"(baseline was {ref['ours_then'] / ref['seconds']:.2f} x OCA side by side): "
            f"{speedup * ref['ours_then'] / ref['seconds']:.2f} x OCA; OCA made "
            f"{ref['queries'] / ref['tickets']:.1f} queries per ticket."
        )
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
