#!/usr/bin/env python3
"""Compare aftersales_service with OCA's helpdesk (helpdesk_mgmt + helpdesk_mgmt_sla) in one
database: ticket creation through the ORM, and the SLA escalation over many open tickets.

Usage (from the repository root):
    .venv/bin/python benchmarks/helpdesk_comparison.py --db aftersales_bench
        [--tickets 1000] [--open 100000] [--due 0.01] [--rounds 3] [--reuse [--update]]
        [--oca-dir /opt/aftersales-bench-addons] [--json out.json] [--profile 25]
ODOO_SRC (default /opt/odoo-src) locates Odoo.

The OCA modules are benchmark-only: when --oca-dir lacks them they are installed there with
`pip install --no-deps --target` (the pinned wheels below) and that directory's odoo/addons
is appended to the addons path of this script only; nothing of them enters the repository.
The database is created without demo data (odoo-bin -i aftersales_service,helpdesk_mgmt,
helpdesk_mgmt_sla --without-demo=all); an existing one is refused unless --reuse, which
installs whatever of the three modules it lacks (--update also upgrades aftersales_service,
for a database older than the code). --profile N profiles one more run of each measure.

1. Ticket creation: --tickets tickets in each module, one create() per ticket followed by a
   flush and the pre-commit hooks (tracking), as one request per ticket would do, by an
   ordinary user of each module (ours: Customer Service; OCA: Helpdesk User), each ticket
   with a customer, a team and a category that an SLA of that team and category matches.
   Customer e-mails are off on both sides (ours: aftersales_no_customer_mail; OCA sends none
   on creation when nobody follows the team and the first stage has no template).
2. SLA escalation: --open open tickets per module inserted with SQL, --due of them past
   their response deadline. Ours: the cron method _cron_sla_escalate. OCA 18.0.2.x ships no
   SLA cron (18.0.1.x had one): its overdue tickets are found at read time, so the reference
   is the "SLA expired" search and the deadlines it shows, and, as the closest thing to
   flagging them, its own _stage_recompute() on each overdue SLA line.
Each measure is the median of --rounds runs after a warm-up, ours and OCA alternating, each
run rolled back to a savepoint; each benchmark has a transaction of its own, rolled back, and
the ticket tables are vacuumed at the end.
"""

import argparse
import ast
import cProfile
import json
import pstats
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from contextlib import closing
from pathlib import Path

import psycopg2
from odoo_env import ODOO_SRC, REPO

import odoo
from odoo import Command, api
from odoo.modules.registry import Registry
from odoo.sql_db import connection_info_for

OCA_PACKAGES = ("odoo-addon-helpdesk-mgmt==18.0.1.19.5", "odoo-addon-helpdesk-mgmt-sla==18.0.2.1.1")
OCA_MODULES = ("helpdesk_mgmt", "helpdesk_mgmt_sla")
MODULES = ("aftersales_service", *OCA_MODULES)
RESPONSE_HOURS, RESOLUTION_HOURS = 24, 72
CUSTOMERS = 100


# ----------------------------------------------------------------------------------------
# Installation: OCA wheels, database
# ----------------------------------------------------------------------------------------


def manifest(path):
    return ast.literal_eval((path / "__manifest__.py").read_text())


def ensure_oca_addons(oca_dir):
    """The OCA addons directory, installed with pip when missing; every dependency of the
    OCA modules must be on the benchmark's addons path."""
    addons = Path(oca_dir) / "odoo" / "addons"
    if not all((addons / module / "__manifest__.py").exists() for module in OCA_MODULES):
        command = [sys.executable, "-m", "pip", "install", "--no-deps", "--upgrade"]
        command += ["--target", str(oca_dir), *OCA_PACKAGES]
        print(f"installing {', '.join(OCA_PACKAGES)} into {oca_dir}", file=sys.stderr)
        try:
            result = subprocess.run(command, capture_output=True, text=True, check=False)
        except OSError as error:
            raise SystemExit(f"cannot run pip ({error})") from error
        if result.returncode:
            tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-8:])
            raise SystemExit(
                f"pip could not install the OCA modules (no pip, no network or no index?):\n"
                f"{tail}\nInstall them by hand, then rerun:\n  {' '.join(command)}"
            )
    roots = [Path(ODOO_SRC, "addons"), Path(ODOO_SRC, "odoo", "addons"), REPO, addons]
    for module in OCA_MODULES:
        for dependency in manifest(addons / module)["depends"]:
            if not any((root / dependency / "__manifest__.py").exists() for root in roots):
                raise SystemExit(
                    f"{module} depends on {dependency}, found in none of "
                    f"{', '.join(map(str, roots))}: add its odoo-addon wheel to OCA_PACKAGES"
                )
    return addons


def oca_versions(addons):
    return {module: manifest(addons / module)["version"] for module in OCA_MODULES}


def module_states(db):
    """{module: state} of ``db``, or None when there is no such database."""
    info = connection_info_for("postgres")[1]
    with closing(psycopg2.connect(**info)) as cnx, cnx.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db])
        if not cur.fetchone():
            return None
    info = connection_info_for(db)[1]
    with closing(psycopg2.connect(**info)) as cnx, cnx.cursor() as cur:
        cur.execute("SELECT name, state FROM ir_module_module WHERE name IN %s", [MODULES])
        return dict(cur.fetchall())


def prepare_database(db, addons_path, reuse, update):
    """Create ``db`` with the three modules and no demo data, or complete a reused one;
    ``update`` upgrades aftersales_service there first (its code changed since)."""
    states = module_states(db)
    if states is not None and not reuse:
        raise SystemExit(f"database {db} exists: pass --reuse to benchmark in it, or drop it")
    missing = [m for m in MODULES if (states or {}).get(m) != "installed"]
    options = (["-i", ",".join(missing), "--without-demo=all"] if missing else []) + (
        ["-u", "aftersales_service"] if update and states is not None else []
    )
    if options:
        print(f"odoo-bin {' '.join(options)} in {db}", file=sys.stderr)
        command = [sys.executable, f"{ODOO_SRC}/odoo-bin", f"--addons-path={addons_path}"]
        command += ["-d", db, *options, "--stop-after-init", "--no-http", "--log-level=warn"]
        if subprocess.run(command, check=False).returncode:
            raise SystemExit(f"odoo-bin failed on {db}: see its log above")
        states = module_states(db)
        if any(states.get(m) != "installed" for m in MODULES):
            raise SystemExit(f"installation failed in {db}: {states}")


# ----------------------------------------------------------------------------------------
# Measuring
# ----------------------------------------------------------------------------------------


def measure(cr, rounds, runs):
    """Median wall time, queries and Python CPU time, and the last checked outcome, of each
    of ``runs`` ({name: (run, check)}) over ``rounds`` rounds after a warm-up. Each run is
    timed with the flush and pre-commit hooks that follow it, checked untimed, then rolled
    back; the order alternates between rounds. Every round's time goes to stderr."""
    results = {name: [] for name in runs}
    outcomes = {}
    names = list(runs)
    for round_ in range(rounds + 1):
        for name in names if round_ % 2 == 0 else names[::-1]:
            run, check = runs[name]
            savepoint = cr.savepoint()  # flushes what is pending first
            queries = cr.sql_log_count
            cpu = time.process_time()
            start = time.perf_counter()
            outcome = run()
            cr.flush()
            elapsed = time.perf_counter() - start
            cpu = time.process_time() - cpu
            queries = cr.sql_log_count - queries
            outcomes[name] = check(outcome)
            savepoint.close(rollback=True)  # also clears the ORM cache and pending hooks
            if round_:  # the first round is the warm-up
                results[name].append((elapsed, queries, cpu))
            kind = f"round {round_}" if round_ else "warm-up"
            print(f"  {name}, {kind}: {elapsed:.2f} s, {queries:,} queries", file=sys.stderr)
    return {
        name: (
            statistics.median(r[0] for r in results[name]),
            int(statistics.median(r[1] for r in results[name])),
            outcomes[name],
            statistics.median(r[2] for r in results[name]),
        )
        for name in runs
    }


def mail_made(records):
    """Messages, notifications and e-mails about ``records``."""
    cr = records.env.cr
    cr.execute(
        """
        SELECT count(DISTINCT msg.id), count(DISTINCT n.id), count(DISTINCT mail.id)
          FROM mail_message msg
          LEFT JOIN mail_notification n ON n.mail_message_id = msg.id
          LEFT JOIN mail_mail mail ON mail.mail_message_id = msg.id
         WHERE msg.model = %s AND msg.res_id = ANY(%s)
        """,
        [records._name, records.ids],
    )
    return cr.fetchone()


STATEMENT = re.compile(
    r"^\s*(?:(SELECT|DELETE)\b.*?\bFROM|(INSERT) INTO|(UPDATE))\s+\"?(\w+)", re.S | re.I
)


def profile(cr, label, run, top):
    """One more run of ``run`` under cProfile, rolled back: statements per table (count and
    database time) and the functions taking most time, to stderr."""
    statements, seconds = Counter(), Counter()
    execute = cr.execute

    def timed(query, params=None, log_exceptions=True):
        start = time.perf_counter()
        try:
            return execute(query, params, log_exceptions)
        finally:
            match = STATEMENT.match(getattr(query, "code", query) or "")
            if match:
                key = f"{next(v for v in match.groups()[:3] if v).upper()} {match.group(4)}"
                statements[key] += 1
                seconds[key] += time.perf_counter() - start

    savepoint = cr.savepoint()
    cr.execute = timed
    profiler = cProfile.Profile()
    try:
        profiler.runcall(lambda: (run(), cr.flush()))
    finally:
        del cr.execute
        savepoint.close(rollback=True)
    print(f"\n## {label}: statements by table (count, seconds)", file=sys.stderr)
    for key, elapsed in seconds.most_common(top):
        print(f"{statements[key]:>8,} {elapsed:8.3f} s  {key}", file=sys.stderr)
    print(f"\n## {label}: functions by cumulative time", file=sys.stderr)
    pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(top)


# ----------------------------------------------------------------------------------------
# Configuration shared by both benchmarks (ORM, superuser)
# ----------------------------------------------------------------------------------------


def configure(env):
    """Users, customers, teams, categories and SLAs of both modules. Nobody follows the
    teams (so creating a ticket e-mails nobody) and the users read notifications in Odoo."""
    env = env(context=dict(env.context, mail_create_nosubscribe=True, no_reset_password=True))
    company = env.company
    calendar = company.resource_calendar_id
    users = env["res.users"].create(
        [
            {
                "name": "Bench customer service (aftersales)",
                "login": "bench_aftersales_user",
                "notification_type": "inbox",
                "groups_id": [
                    Command.set([env.ref("aftersales_service.group_aftersales_user").id])
                ],
            },
            {
                "name": "Bench helpdesk user (OCA)",
                "login": "bench_helpdesk_user",
                "notification_type": "inbox",
                "groups_id": [Command.set([env.ref("helpdesk_mgmt.group_helpdesk_user").id])],
            },
        ]
    )
    customers = env["res.partner"].create(
        [
            {
                "name": f"Helpdesk bench customer {i:03d}",
                "is_company": True,
                "email": f"customer{i:03d}@bench.example.com",
                "phone": f"+86 10 5555 {i:04d}",
            }
            for i in range(CUSTOMERS)
        ]
    )
    # Ours: a remote category (no arrival target), so response and resolution deadlines
    # as in OCA, and a policy for that team and category.
    team = env["aftersales.team"].create({"name": "Bench service team"})
    category = env["aftersales.category"].create(
        {"name": "Bench remote support", "onsite_service": False}
    )
    policy = env["aftersales.sla.policy"].create(
        {
            "name": "Bench policy",
            "sequence": 1,
            "team_ids": [Command.set(team.ids)],
            "category_ids": [Command.set(category.ids)],
            "calendar_id": calendar.id,
            "response_hours": RESPONSE_HOURS,
            "arrival_from_zone": False,
            "arrival_hours": 4.0,  # unused: the remote category has no arrival target
            "resolution_hours": RESOLUTION_HOURS,
        }
    )
    company._aftersales_next_ticket_reference()  # the company's sequence exists from now on
    # OCA: a team using SLAs on the same calendar, an SLA per target, reached by a stage.
    oca_team = env["helpdesk.ticket.team"].create(
        {
            "name": "Bench helpdesk team",
            "use_sla": True,
            "resource_calendar_id": calendar.id,
            "user_ids": [Command.set(users[1].ids)],
        }
    )
    oca_category = env["helpdesk.ticket.category"].create({"name": "Bench support"})
    stage = {
        key: env.ref(f"helpdesk_mgmt.helpdesk_ticket_stage_{key}")
        for key in ("new", "in_progress", "done")
    }
    slas = env["helpdesk.sla"].create(
        [
            {
                "name": name,
                "team_ids": [Command.set(oca_team.ids)],
                "category_ids": [Command.set(oca_category.ids)],
                "hours": hours,
                "stage_id": stage[key].id,
            }
            for name, hours, key in (
                ("Bench response", RESPONSE_HOURS, "in_progress"),
                ("Bench resolution", RESOLUTION_HOURS, "done"),
            )
        ]
    )
    env.flush_all()
    return {
        "company": company,
        "user": users[0],
        "oca_user": users[1],
        "customers": customers,
        "team": team,
        "category": category,
        "policy": policy,
        "oca_team": oca_team,
        "oca_category": oca_category,
        "oca_stage": stage,
        "oca_slas": slas,
        "oca_channel": env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone"),
    }


# ----------------------------------------------------------------------------------------
# 1. Ticket creation
# ----------------------------------------------------------------------------------------


def ticket_values(setup, count):
    """The same requests for both modules: (ours, OCA) values per ticket."""
    customers = setup["customers"]
    values = []
    for i in range(count):
        customer = customers[i % len(customers)]
        description = f"<p>Bench request {i}: the unit stops after a few minutes.</p>"
        values.append(
            (
                {
                    "partner_id": customer.id,
                    "team_id": setup["team"].id,
                    "category_id": setup["category"].id,
                    "channel": "phone",
                    "priority": "1",
                    "description": description,
                },
                {
                    "name": f"Bench request {i}",
                    "description": description,
                    "partner_id": customer.id,
                    # what the form's partner onchange fills in
                    "partner_name": customer.name,
                    "partner_email": customer.email,
                    "team_id": setup["oca_team"].id,
                    "category_id": setup["oca_category"].id,
                    "channel_id": setup["oca_channel"].id,
                    "priority": "1",
                },
            )
        )
    return values


def creation_runs(env, setup, count):
    """{"ours": (run, check), "oca": (run, check)}: each run creates ``count`` tickets one
    request at a time; the check makes sure an SLA applied to each and returns the messages,
    notifications and e-mails made."""
    cr = env.cr
    values = ticket_values(setup, count)
    Ours = env["aftersales.ticket"].with_user(setup["user"])
    Ours = Ours.with_context(aftersales_no_customer_mail=True)
    Oca = env["helpdesk.ticket"].with_user(setup["oca_user"])

    def create(model, index):
        tickets = model.browse()
        for pair in values:
            tickets |= model.create(pair[index])
            cr.flush()  # end of the request: recomputations, tracking
        return tickets.sudo()

    def check_ours(tickets):
        if tickets.sla_policy_id != setup["policy"] or not all(
            tickets.mapped("deadline_resolution")
        ):
            raise SystemExit("our tickets did not all get the bench SLA policy and deadlines")
        return mail_made(tickets)

    def check_oca(tickets):
        lines = tickets.ticket_sla_ids
        if len(lines) != 2 * count or not all(lines.mapped("deadline")):
            raise SystemExit("the OCA tickets did not all get both bench SLAs with deadlines")
        return mail_made(tickets)

    return {
        "ours": (lambda: create(Ours, 0), check_ours),
        "oca": (lambda: create(Oca, 1), check_oca),
    }


# ----------------------------------------------------------------------------------------
# 2. SLA escalation over many open tickets
# ----------------------------------------------------------------------------------------

# Created a day ago; every n-th ticket's response deadline passed a minute ago (warned
# before), the others' are two days ahead; resolution five days ahead. Ours as
# benchmarks/sla_escalation.py inserts them, with the bench team, category and policy.
OURS_INSERT = """
    INSERT INTO aftersales_ticket (
        name, company_id, partner_id, commercial_partner_id, team_id, category_id,
        contact_name, email, channel, priority, state, warranty_state,
        create_date, write_date, create_uid, write_uid, reopen_count,
        sla_policy_id, deadline_response, sla_warn_response, sla_response_warned,
        deadline_resolution, sla_warn_resolution,
        sla_response_state, sla_arrival_state, sla_resolution_state, sla_status,
        sla_deadline_next, sla_next_check)
    SELECT 'HDB-' || g, %(company)s, c.id, c.id, %(team)s, %(category)s,
           c.name, c.email, 'phone', '1', 'new', 'none',
           now() at time zone 'UTC' - interval '1 day', now() at time zone 'UTC', 1, 1, 0,
           %(policy)s, d.response,
           CASE WHEN d.due THEN d.response - interval '5 hours'
                ELSE now() at time zone 'UTC' + interval '1 day' END, d.due,
           now() at time zone 'UTC' + interval '5 days',
           now() at time zone 'UTC' + interval '4 days',
           'pending', 'none', 'pending', 'on_track',
           d.response,
           CASE WHEN d.due THEN d.response ELSE now() at time zone 'UTC' + interval '1 day' END
      FROM generate_series(1, %(count)s) g
      JOIN res_partner c ON c.id = (%(customers)s::int[])[1 + g %% %(ncustomers)s]
     CROSS JOIN LATERAL (SELECT g %% %(every)s = 0 AS due) o
     CROSS JOIN LATERAL (
        SELECT o.due,
               CASE WHEN o.due THEN now() at time zone 'UTC' - interval '1 minute'
                    ELSE now() at time zone 'UTC' + interval '2 days' END AS response
     ) d
"""

# The same tickets in OCA: first stage, team and category of the bench SLAs, and the two
# ticket SLA lines helpdesk_mgmt_sla creates (in progress, deadline, hours, stage to reach).
OCA_INSERT = """
    INSERT INTO helpdesk_ticket (
        number, name, description, company_id, partner_id, commercial_partner_id,
        partner_name, partner_email, team_id, category_id, channel_id, stage_id, priority,
        unattended, active, sequence, last_stage_update,
        create_date, write_date, create_uid, write_uid)
    SELECT 'HDB' || lpad(g::text, 6, '0'), 'Bench request ' || g,
           '<p>Bench request ' || g || '</p>', %(company)s, c.id, c.id, c.name, c.email,
           %(team)s, %(category)s, %(channel)s, %(stage)s, '1', true, true, 10,
           now() at time zone 'UTC' - interval '1 day',
           now() at time zone 'UTC' - interval '1 day', now() at time zone 'UTC', 1, 1
      FROM generate_series(1, %(count)s) g
      JOIN res_partner c ON c.id = (%(customers)s::int[])[1 + g %% %(ncustomers)s]
    RETURNING id, create_date
"""

OCA_SLA_INSERT = """
    INSERT INTO helpdesk_ticket_sla (
        ticket_id, sla_id, deadline, hours, expected_stage_id, consumed_time,
        last_state_date, state, create_date, write_date, create_uid, write_uid)
    SELECT t.id, s.sla, s.deadline, s.hours, s.stage, 0, t.create_date, 'in_progress',
           t.create_date, t.create_date, 1, 1
      FROM helpdesk_ticket t
     CROSS JOIN LATERAL (
        VALUES (%(response_sla)s, %(response_hours)s, %(response_stage)s,
                CASE WHEN t.id %% %(every)s = 0
                     THEN now() at time zone 'UTC' - interval '1 minute'
                     ELSE now() at time zone 'UTC' + interval '2 days' END),
               (%(resolution_sla)s, %(resolution_hours)s, %(resolution_stage)s,
                now() at time zone 'UTC' + interval '5 days')
     ) s (sla, hours, stage, deadline)
     WHERE t.number LIKE 'HDB%%' AND t.id BETWEEN %(lo)s AND %(hi)s
"""


def insert_open_tickets(env, setup, count, due_share):
    """``count`` open tickets in each module, ``due_share`` of them overdue."""
    cr = env.cr
    every = max(round(1 / due_share), 1)
    params = {
        "company": setup["company"].id,
        "customers": setup["customers"].ids,
        "ncustomers": len(setup["customers"]),
        "count": count,
        "every": every,
    }
    cr.execute(
        OURS_INSERT,
        dict(
            params,
            team=setup["team"].id,
            category=setup["category"].id,
            policy=setup["policy"].id,
        ),
    )
    cr.execute(
        OCA_INSERT,
        dict(
            params,
            team=setup["oca_team"].id,
            category=setup["oca_category"].id,
            channel=setup["oca_channel"].id,
            stage=setup["oca_stage"]["new"].id,
        ),
    )
    ids = [row[0] for row in cr.fetchall()]
    response, resolution = setup["oca_slas"]
    cr.execute(
        OCA_SLA_INSERT,
        dict(
            params,
            lo=min(ids),
            hi=max(ids),
            response_sla=response.id,
            response_hours=float(RESPONSE_HOURS),
            response_stage=response.stage_id.id,
            resolution_sla=resolution.id,
            resolution_hours=float(RESOLUTION_HOURS),
            resolution_stage=resolution.stage_id.id,
        ),
    )
    for table in ("aftersales_ticket", "helpdesk_ticket", "helpdesk_ticket_sla"):
        cr.execute(f"ANALYZE {table}")
    env.invalidate_all()
    return count // every, sum(1 for i in ids if i % every == 0)


def escalation_runs(env, due, oca_due):
    """Ours: the cron. OCA: the overdue search, and that search then flagging each overdue
    SLA line. Each is checked against the number of overdue tickets."""
    Ours = env["aftersales.ticket"]
    Oca = env["helpdesk.ticket"]

    def check_ours(processed):
        # One run takes at most the cron's batch (2,000 by default) of the due tickets.
        breached = Ours.search_count([("name", "=like", "HDB-%"), ("sla_status", "=", "breached")])
        if not processed or processed > due or breached != processed:
            raise SystemExit(f"ours: {processed} processed, {breached} breached, {due} due")
        if processed < due:
            return f"{breached:,} of the {due:,} overdue tickets breached (one cron batch)"
        return f"{breached:,} tickets breached"

    def overdue():
        tickets = Oca.search([("sla_expired", "=", True), ("stage_id.closed", "=", False)])
        tickets.mapped("sla_deadline")  # what the list and kanban show with the flag
        return tickets

    def check_overdue(tickets):
        if len(tickets) != oca_due or not all(tickets.mapped("sla_expired")):
            raise SystemExit(f"OCA: {len(tickets)} overdue tickets found, {oca_due} expected")
        return f"{len(tickets):,} tickets found"

    def flag():
        lines = overdue().ticket_sla_ids.filtered("expired")
        for line in lines:
            line._stage_recompute()
        return lines

    def check_flag(lines):
        flagged = env["helpdesk.ticket.sla"].search_count([("state", "=", "expired")])
        if len(lines) != oca_due or flagged != oca_due:
            raise SystemExit(f"OCA: {flagged} SLA lines flagged expired, {oca_due} expected")
        return f"{flagged:,} SLA lines flagged"

    return {
        # as the scheduled action calls it, with the module's default batch limit
        "ours": (Ours._cron_sla_escalate, check_ours),
        "oca overdue": (overdue, check_overdue),
        "oca flag": (flag, check_flag),
    }


def vacuum(db):
    """VACUUM ANALYZE the tables that the rolled-back inserts left dead rows in."""
    info = connection_info_for(db)[1]
    with closing(psycopg2.connect(**info)) as cnx:
        cnx.autocommit = True
        with cnx.cursor() as cur:
            for table in ("aftersales_ticket", "helpdesk_ticket", "helpdesk_ticket_sla"):
                cur.execute(f"VACUUM (ANALYZE) {table}")


# ----------------------------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------------------------


def row(operation, ours, reference, note):
    return {
        "operation": operation,
        "ours_s": round(ours[0], 3),
        "reference_s": round(reference[0], 3),
        "ratio": round(ours[0] / reference[0], 2) if reference[0] else None,
        "queries_ours": ours[1],
        "queries_reference": reference[1],
        "note": note,
    }


def print_report(args, versions, rows, goals):
    oca = ", ".join(f"{m} {v}" for m, v in versions.items())
    print(f"aftersales_service vs OCA ({oca}), database {args.db}, median of {args.rounds}")
    print("| operation | ours | reference (OCA) | ratio | queries ours / reference |")
    print("|---|---|---|---|---|")
    for r in rows:
        ratio = f"{r['ratio']:.2f}" if r["ratio"] is not None else "-"
        print(
            f"| {r['operation']} | {r['ours_s']:.2f} s | {r['reference_s']:.2f} s | {ratio} "
            f"| {r['queries_ours']:,} / {r['queries_reference']:,} |"
        )
    print()
    for r in rows:
        print(f"- {r['operation']}: {r['note']}")
    print()
    for goal, met in goals:
        print(f"- goal {goal}: {'met' if met else 'NOT met'}")


def bench_creation(registry, args):
    """Benchmark 1 in a transaction of its own, rolled back."""
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        runs = creation_runs(env, configure(env), args.tickets)
        created = measure(cr, args.rounds, runs)
        if args.profile:
            for name in runs:
                profile(cr, f"{name}: create {args.tickets}", runs[name][0], args.profile)
        cr.rollback()
    ours_made, oca_made = created["ours"][2], created["oca"][2]
    return row(
        f"create {args.tickets:,} tickets, one create() each",
        created["ours"],
        created["oca"],
        (
            "as a Customer Service user (ours) / Helpdesk User (OCA), flush and pre-commit "
            "hooks after each; messages / notifications / e-mails made: "
            f"ours {' / '.join(map(str, ours_made))}, OCA {' / '.join(map(str, oca_made))}; "
            f"Python CPU ours {created['ours'][3]:.2f} s, OCA {created['oca'][3]:.2f} s"
        ),
    )


def bench_escalation(registry, args):
    """Benchmark 2 in a transaction of its own, rolled back. (After the savepoints of
    benchmark 1 in the same transaction, PostgreSQL took minutes instead of seconds to
    insert the rows, on their foreign-key checks.)"""
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        setup = configure(env)
        start = time.perf_counter()
        due, oca_due = insert_open_tickets(env, setup, args.open, args.due)
        elapsed = time.perf_counter() - start
        print(f"{args.open:,} open tickets per module inserted in {elapsed:.0f} s", file=sys.stderr)
        runs = escalation_runs(env, due, oca_due)
        escalated = measure(cr, args.rounds, runs)
        if args.profile:
            for name in runs:
                profile(cr, f"{name}: SLA escalation", runs[name][0], args.profile)
        cr.rollback()
    label = f"SLA escalation, {args.open:,} open, {due:,} overdue: ours cron vs OCA"
    return [
        row(
            f"{label} overdue search",
            escalated["ours"],
            escalated["oca overdue"],
            (
                f"ours: _cron_sla_escalate, {escalated['ours'][2]}: one 'SLA breached' "
                "activity for the escalation manager and one chatter note per ticket, "
                "response flags set, status breached; OCA 18.0.2.x has no SLA cron: the "
                "'SLA expired' search (non-stored, over helpdesk_ticket_sla deadlines) "
                f"and the deadlines shown, {escalated['oca overdue'][2]}, nothing written"
            ),
        ),
        row(
            f"{label} flagging",
            escalated["ours"],
            escalated["oca flag"],
            (
                "OCA: the search above, then helpdesk.ticket.sla._stage_recompute() on "
                "each overdue SLA line (consumed working hours, state expired), "
                f"{escalated['oca flag'][2]}; no activity, message or mail"
            ),
        ),
    ]


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default="aftersales_bench")
    parser.add_argument("--reuse", action="store_true", help="benchmark in an existing --db")
    parser.add_argument(
        "--update", action="store_true", help="with --reuse: upgrade aftersales_service first"
    )
    parser.add_argument("--oca-dir", default="/opt/aftersales-bench-addons")
    parser.add_argument("--tickets", type=int, default=1_000, help="tickets created per module")
    parser.add_argument("--open", type=int, default=100_000, help="open tickets per module")
    parser.add_argument("--due", type=float, default=0.01, help="share of them overdue")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", metavar="PATH", help="also write the rows as JSON")
    parser.add_argument(
        "--profile",
        type=int,
        metavar="N",
        help="profile one more run of each measure: top N tables and functions, to stderr",
    )
    args = parser.parse_args()
    oca_addons = ensure_oca_addons(args.oca_dir)
    addons_path = f"{ODOO_SRC}/addons,{ODOO_SRC}/odoo/addons,{REPO},{oca_addons}"
    odoo.tools.config.parse_config(
        [f"--addons-path={addons_path}", "--log-level=warn", "-d", args.db]
    )
    prepare_database(args.db, addons_path, args.reuse, args.update)
    registry = Registry(args.db)
    rows = [bench_creation(registry, args), *bench_escalation(registry, args)]
    vacuum(args.db)
    goals = [
        ("creation ratio <= 1.3", rows[0]["ratio"] <= 1.3),
        ("escalation < 10 s", rows[1]["ours_s"] < 10),
        ("escalation faster than OCA's flagging", rows[2]["ours_s"] < rows[2]["reference_s"]),
    ]
    print_report(args, oca_versions(oca_addons), rows, goals)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
