#!/usr/bin/env python3
"""Time the dispatch suggestion and check that automatic dispatch balances the load.

Usage (from the repository root, a database with aftersales_service installed):
    .venv/bin/python benchmarks/dispatch_suggestion.py --db aftersales_demo
        [--technicians 500] [--open 20000] [--batch 1000] [--runs 20]

500 technicians in 5 teams, 3 working calendars and 5 home zones, each qualified for two
of ten product categories (one in ten of those qualifications expired), one in ten on
leave, 20,000 open tickets spread over them (inserted with SQL). Measured:

- the ranked suggestion for one ticket among all of them (cold ORM cache each run);
- 1,000 tickets created at once for a team in automatic, balanced dispatch whose 20
  technicians are equally qualified but start with different loads: max - min open
  tickets among them afterwards.

Everything is rolled back.
"""

import argparse
import os
import random
import statistics
import time
from collections import Counter
from datetime import timedelta

from odoo_env import open_registry

import odoo
from odoo import Command, api, fields


def setup(env, technician_count, open_count):
    rng = random.Random(19)
    company = env.company
    zones = env["aftersales.zone"].create(
        [{"name": f"Bench zone {i}", "arrival_hours": 8} for i in range(5)]
    )
    categories = env["product.category"].create(
        [{"name": f"Bench category {i}"} for i in range(10)]
    )
    products = env["product.product"].create(
        [{"name": f"Bench unit {i}", "categ_id": categ.id} for i, categ in enumerate(categories)]
    )
    standard = company.resource_calendar_id
    calendars = standard | env["resource.calendar"].create(
        [
            {"name": "Bench early shift", "tz": "Asia/Shanghai"},
            {"name": "Bench late shift", "tz": "Asia/Shanghai"},
        ]
    )
    technician_group = env.ref("aftersales_service.group_aftersales_technician")
    users = (
        env["res.users"]
        .with_context(no_reset_password=True, tracking_disable=True, mail_create_nolog=True)
        .create(
            [
                {
                    "name": f"Bench Technician {i}",
                    "login": f"bench_dispatch_{i}",
                    "groups_id": [Command.set([technician_group.id])],
                }
                for i in range(technician_count)
            ]
        )
    )
    employees = (
        env["hr.employee"]
        .with_context(tracking_disable=True)
        .create(
            [
                {
                    "name": user.name,
                    "user_id": user.id,
                    "resource_calendar_id": calendars[i % len(calendars)].id,
                    "aftersales_home_zone_id": zones[i % len(zones)].id,
                }
                for i, user in enumerate(users)
            ]
        )
    )
    teams = env["aftersales.team"].create(
        [
            {
                "name": f"Bench team {t}",
                "member_ids": [Command.set(employees[t::5].ids)],
            }
            for t in range(5)
        ]
    )
    today = fields.Date.today()
    qualifications = []
    for i, employee in enumerate(employees):
        for categ in (categories[i % 10], categories[(i + 3) % 10]):
            expired = rng.random() < 0.1
            qualifications.append(
                {
                    "employee_id": employee.id,
                    "product_categ_id": categ.id,
                    "level": rng.choice(["certified", "expert"]),
                    "date_valid_until": today + timedelta(days=-5 if expired else 400),
                }
            )
    env["aftersales.qualification"].create(qualifications)
    now = fields.Datetime.now()
    env["resource.calendar.leaves"].create(
        [
            {
                "name": "Bench leave",
                "resource_id": employee.resource_id.id,
                "calendar_id": employee.resource_calendar_id.id,
                "date_from": now - timedelta(days=1),
                "date_to": now + timedelta(days=3),
                "time_type": "leave",
            }
            for employee in employees
            if rng.random() < 0.1
        ]
    )
    partner = env["res.partner"].create(
        {"name": "Dispatch bench customer", "is_company": True, "aftersales_zone_id": zones[0].id}
    )
    env.cr.execute(
        """
        INSERT INTO aftersales_ticket (
            name, company_id, partner_id, commercial_partner_id, channel, priority, state,
            technician_id, team_id, product_id, create_date, write_date, create_uid,
            write_uid, reopen_count, date_assigned)
        SELECT 'DSBENCH-' || g, %(company)s, %(partner)s, %(partner)s, 'phone', '1',
               (ARRAY['assigned', 'in_progress', 'waiting'])[1 + g %% 3],
               (%(employees)s::int[])[1 + (g * 7919) %% %(n)s], %(team)s, %(product)s,
               now() at time zone 'UTC', now() at time zone 'UTC', 1, 1, 0,
               now() at time zone 'UTC'
          FROM generate_series(1, %(count)s) g
        """,
        {
            "company": company.id,
            "partner": partner.id,
            "employees": employees.ids,
            "n": len(employees),
            "team": teams[0].id,
            "product": products[0].id,
            "count": open_count,
        },
    )
    env.cr.execute("ANALYZE aftersales_ticket")
    return {
        "partner": partner,
        "products": products,
        "teams": teams,
        "employees": employees,
        "categories": categories,
        "zones": zones,
        "calendar": standard,
    }


def time_suggestion(env, data, runs):
    ticket = (
        env["aftersales.ticket"]
        .with_context(aftersales_no_customer_mail=True)
        .create(
            {
                "partner_id": data["partner"].id,
                "product_id": data["products"][0].id,
                "team_id": data["teams"][0].id,
                "description": "<p>Bench</p>",
            }
        )
    )
    env.flush_all()
    ticket._aftersales_suggest_technicians(include_excluded=True)  # warm the registry
    timings, cpu, queries = [], [], 0
    for _run in range(runs):
        env.invalidate_all()
        count = env.cr.sql_log_count
        start, start_cpu = time.perf_counter(), time.process_time()
        ranked = ticket._aftersales_suggest_technicians(include_excluded=True)
        timings.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        queries = env.cr.sql_log_count - count
    eligible = sum(1 for c in ranked if c["eligible"])
    return timings, cpu, queries, len(ranked), eligible


def time_automatic(env, data, batch):
    """20 equally qualified technicians (same level, zone, calendar, no leave) with
    different starting loads; ``batch`` tickets created at once."""
    employees = data["employees"]
    calendar = data["calendar"]
    group = employees.filtered(
        lambda e: (
            e.resource_calendar_id == calendar
            and e.aftersales_home_zone_id == data["zones"][0]
            and not env["resource.calendar.leaves"].search_count(
                [("resource_id", "=", e.resource_id.id)]
            )
        )
    )[:20]
    product = data["products"][-1]
    env["aftersales.qualification"].create(
        [
            {
                "employee_id": employee.id,
                "product_id": product.id,
                "level": "certified",
                "date_valid_until": fields.Date.today() + timedelta(days=400),
            }
            for employee in group
        ]
    )
    team = env["aftersales.team"].create(
        {
            "name": "Bench automatic",
            "member_ids": [Command.set(group.ids)],
            "dispatch_mode": "automatic",
            "dispatch_balance": "balanced",
        }
    )
    # Different starting loads: the i-th technician has i more open tickets.
    env.cr.execute(
        """
        INSERT INTO aftersales_ticket (
            name, company_id, partner_id, commercial_partner_id, channel, priority, state,
            technician_id, team_id, product_id, create_date, write_date, create_uid,
            write_uid, reopen_count)
        SELECT 'DSBENCH-EXTRA-' || e.ord || '-' || g, %(company)s, %(partner)s, %(partner)s,
               'phone', '1', 'assigned', e.id, %(team)s, %(product)s,
               now() at time zone 'UTC', now() at time zone 'UTC', 1, 1, 0
          FROM unnest(%(employees)s::int[]) WITH ORDINALITY AS e(id, ord),
               generate_series(1, 19) g
         WHERE g < e.ord
        """,
        {
            "company": env.company.id,
            "partner": data["partner"].id,
            "employees": group.ids,
            "team": team.id,
            "product": product.id,
        },
    )
    Ticket = env["aftersales.ticket"]

    def open_counts():
        env.flush_all()
        counts = dict(
            Ticket._read_group(
                [
                    ("technician_id", "in", group.ids),
                    ("state", "in", ("assigned", "in_progress", "waiting")),
                ],
                ["technician_id"],
                ["__count"],
            )
        )
        return [counts.get(employee, 0) for employee in group]

    before = open_counts()
    values = {
        "partner_id": data["partner"].id,
        "product_id": product.id,
        "team_id": team.id,
        "description": "<p>Bench batch</p>",
    }
    start = time.perf_counter()
    tickets = Ticket.with_context(
        aftersales_no_customer_mail=True, tracking_disable=True, mail_notrack=True
    ).create([values] * batch)
    env.flush_all()
    elapsed = time.perf_counter() - start
    after = open_counts()
    states = Counter(tickets.mapped("state"))
    return len(group), before, after, elapsed, states


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default=os.environ.get("AFTERSALES_DB", "aftersales_demo"))
    parser.add_argument("--technicians", type=int, default=500)
    parser.add_argument("--open", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    registry = open_registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        start = time.perf_counter()
        data = setup(env, args.technicians, args.open)
        env.flush_all()
        print(
            f"{args.technicians} technicians, {args.open:,} open tickets set up in "
            f"{time.perf_counter() - start:.1f} s"
        )
        timings, cpu, queries, ranked, eligible = time_suggestion(env, data, args.runs)
        print(
            "| suggestion for one ticket | median | min | max | Python CPU (median) | queries "
            "| ranked | eligible |"
        )
        print("|---|---|---|---|---|---|---|---|")
        print(
            f"| {args.technicians} technicians, {args.open:,} open tickets | "
            f"{statistics.median(timings) * 1000:.1f} ms | {min(timings) * 1000:.1f} ms | "
            f"{max(timings) * 1000:.1f} ms | {statistics.median(cpu) * 1000:.1f} ms | "
            f"{queries} | {ranked} | {eligible} |"
        )
        print(f"load average during the run: {os.getloadavg()[0]:.2f}")
        size, before, after, elapsed, states = time_automatic(env, data, args.batch)
        print(
            f"automatic dispatch of {args.batch:,} tickets created at once: {elapsed:.1f} s "
            f"({elapsed / args.batch * 1000:.1f} ms a ticket), states {dict(states)}"
        )
        print(
            f"open tickets of the {size} equally qualified technicians: before "
            f"min {min(before)} max {max(before)}; after min {min(after)} max {max(after)} "
            f"(max - min = {max(after) - min(after)})"
        )
        cr.rollback()
    if max(after) - min(after) > 1:
        raise SystemExit("automatic dispatch left the load unbalanced")


if __name__ == "__main__":
    main()
