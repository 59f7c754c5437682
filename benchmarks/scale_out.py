#!/usr/bin/env python3
"""Odoo's own scale-out, built on this machine: a PostgreSQL primary with a hot standby
(streaming replication), two Odoo HTTP nodes that send read-only requests to the standby,
and a cron node, all on one database and 127.0.0.1.

Usage (from the repository root, as a user who may run `su postgres`):
    .venv/bin/python benchmarks/scale_out.py [--db aftersales_scale] [--template aftersales_demo]
        [--clients 20] [--seconds 30] [--workers 2] [--rounds 5] [--tickets 300]
        [--replica-port 5433] [--base-port 8601] [--keep]

What it builds:
- the standby: `pg_basebackup -R -X stream` of the running primary into a directory of its
  own, started with `pg_ctl` on --replica-port (unix socket in that directory);
- node A and node B: `--workers`, no cron, `--db_replica_host/--db_replica_port` on the
  standby; the cron node: threaded, two cron threads, primary only;
- the database: a copy of --template (demo data: tickets, KPIs, portal customer) plus the
  concurrency benchmark's users, team and customers.

What it proves, each in a table row:
1. The KPI report, the Overview, the ticket list (back office, JSON-RPC as the web client
   sends them) and the portal lists are answered on a read-only cursor: each node's access
   log tags every request `ro`, `rw` or `ro->rw` (a read that wrote and was replayed on the
   primary); the standby's own transaction counter shows it served them.
2. The SLA escalation, run at the same moment by the cron node, a second cron node and two
   more processes calling the cron method in small batches, escalates each of --tickets
   overdue tickets exactly once (one "SLA breached" activity and note per ticket).
3. The 20-client XML-RPC ticket flow of benchmarks/concurrency.py against node A alone, then
   spread over nodes A and B (XML-RPC always uses the primary: Odoo 18 routes only the web
   client's read-only calls to a replica).
Everything is stopped at the end; the database is dropped unless --keep.
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter, defaultdict
from contextlib import closing
from http.cookiejar import CookieJar

import concurrency as cc
import psycopg2
from odoo_env import open_registry

import odoo
from odoo import api
from odoo.sql_db import connection_info_for

REPLICA_DIR = "/tmp/aftersales-replica"
SCRATCH_PARAM = cc.SCRATCH_PARAM
ACCESS_LINE = re.compile(
    r'werkzeug: .*"(GET|POST) (\S+) HTTP/[\d.]+" (\d{3}) .* (ro->rw|ro|rw)\s*$'
)


_REGISTRY = {}


def registry_of(db):
    """Odoo's configuration is parsed once per process (open_registry), then reused."""
    if db not in _REGISTRY:
        _REGISTRY[db] = odoo.modules.registry.Registry(db) if _REGISTRY else open_registry(db)
    return _REGISTRY[db]


def run(*command, **kwargs):
    return subprocess.run(command, check=True, **kwargs)


def as_postgres(command):
    prefix = (
        [] if os.geteuid() and os.environ.get("USER") == "postgres" else ["su", "postgres", "-c"]
    )
    return run(*prefix, command, stdout=subprocess.DEVNULL)


def pg_bindir():
    version = subprocess.run(
        ["psql", "-d", "postgres", "-tAc", "SHOW server_version_num"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return f"/usr/lib/postgresql/{int(version) // 10000}/bin"


# ----------------------------------------------------------------------
# Database and standby
# ----------------------------------------------------------------------


def prepare_database(args):
    if cc.database_exists(args.db):
        info = connection_info_for(args.db)[1]
        with closing(psycopg2.connect(**info)) as cnx, cnx.cursor() as cur:
            cur.execute("SELECT value FROM ir_config_parameter WHERE key = %s", [SCRATCH_PARAM])
            if not cur.fetchone():
                raise SystemExit(f"{args.db} is not a scratch database of the benchmarks")
        cc.drop_database(args.db)
    print(f"copying {args.template} into {args.db}", file=sys.stderr)
    run("createdb", "-T", args.template, args.db)
    cc.open_registry = registry_of  # one configuration per process
    fixtures = cc.prepare_fixtures(args, created=True)
    registry = registry_of(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        # Every user's password is the login (the demo's and the fixtures').
        for login in ("as_manager", "as_analyst", "as_customer"):
            if not env["res.users"].search_count([("login", "=", login)]):
                raise SystemExit(f"{args.template} has no demo user {login}")
    return fixtures


def start_standby(args):
    bindir = pg_bindir()
    shutil.rmtree(REPLICA_DIR, ignore_errors=True)
    os.makedirs(REPLICA_DIR)
    shutil.chown(REPLICA_DIR, "postgres", "postgres")
    os.chmod(REPLICA_DIR, 0o700)
    data = f"{REPLICA_DIR}/data"
    print(f"pg_basebackup of the primary into {data}", file=sys.stderr)
    as_postgres(f"{bindir}/pg_basebackup -D {data} -R -X stream -c fast")
    # Debian keeps the primary's configuration outside its data directory: the standby
    # gets a minimal one of its own.
    with open(f"{data}/postgresql.conf", "w", encoding="utf-8") as conf:
        conf.write(
            f"port = {args.replica_port}\n"
            f"unix_socket_directories = '{REPLICA_DIR}'\n"
            "listen_addresses = ''\nhot_standby = on\nmax_connections = 200\n"
        )
    with open(f"{data}/pg_hba.conf", "w", encoding="utf-8") as hba:
        hba.write("local all all trust\n")
    open(f"{data}/pg_ident.conf", "w", encoding="utf-8").close()
    for name in ("postgresql.conf", "pg_hba.conf", "pg_ident.conf"):
        shutil.chown(f"{data}/{name}", "postgres", "postgres")
    as_postgres(f"{bindir}/pg_ctl -D {data} -l {REPLICA_DIR}/standby.log -w start")
    with closing(replica_connection(args)) as cnx, cnx.cursor() as cur:
        cur.execute("SELECT pg_is_in_recovery()")
        if not cur.fetchone()[0]:
            raise SystemExit("the standby is not in recovery")


def stop_standby():
    data = f"{REPLICA_DIR}/data"
    if os.path.isdir(data):
        as_postgres(f"{pg_bindir()}/pg_ctl -D {data} -m fast -w stop")
    shutil.rmtree(REPLICA_DIR, ignore_errors=True)


def replica_connection(args, db="postgres"):
    return psycopg2.connect(host=REPLICA_DIR, port=args.replica_port, dbname=db)


def replica_transactions(args):
    with closing(replica_connection(args)) as cnx, cnx.cursor() as cur:
        cur.execute(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = %s",
            [args.db],
        )
        return cur.fetchone()[0]


# ----------------------------------------------------------------------
# Nodes
# ----------------------------------------------------------------------


def start_node(args, name, port, *, workers, cron_threads, replica):
    logfile = tempfile.NamedTemporaryFile(
        prefix=f"aftersales-scale-{name}-", suffix=".log", delete=False
    ).name
    command = cc.odoo_bin(
        "-d",
        args.db,
        f"--db-filter=^{re.escape(args.db)}$",
        f"--workers={workers}",
        f"--max-cron-threads={cron_threads}",
        "--http-interface=127.0.0.1",
        f"--http-port={port}",
        f"--gevent-port={port + 50}",
        f"--logfile={logfile}",
        "--log-level=info",
        *(
            [f"--db_replica_host={REPLICA_DIR}", f"--db_replica_port={args.replica_port}"]
            if replica
            else []
        ),
    )
    process = subprocess.Popen(command, start_new_session=True, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"node {name} exited with {process.returncode}; see {logfile}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/web/login", timeout=30)
            break
        except OSError:
            time.sleep(0.5)
    else:
        cc.stop_server(process)
        raise SystemExit(f"node {name} did not answer within 180 s; see {logfile}")
    return {"name": name, "port": port, "process": process, "log": logfile}


def stop_node(node):
    cc.stop_server(node["process"])


# ----------------------------------------------------------------------
# 1. Reads on the standby
# ----------------------------------------------------------------------


class WebSession:
    """What the web client and the portal send, with a session cookie."""

    def __init__(self, port, db, login):
        self.base = f"http://127.0.0.1:{port}"
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.json("/web/session/authenticate", {"db": db, "login": login, "password": login})

    def json(self, path, params):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}).encode()
        request = urllib.request.Request(
            self.base + path, body, {"Content-Type": "application/json"}
        )
        with self.opener.open(request, timeout=120) as response:
            answer = json.load(response)
        if answer.get("error"):
            raise RuntimeError(f"{path}: {answer['error']['data']['message']}")
        return answer["result"]

    def call_kw(self, model, method, args, kwargs):
        return self.json(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs},
        )

    def get(self, path):
        with self.opener.open(self.base + path, timeout=120) as response:
            if response.status != 200:
                raise RuntimeError(f"{path}: HTTP {response.status}")
            return response.read()


# label: (login, the path the access log shows, the read)
READS = {
    "KPI report (grouped)": (
        "as_analyst",
        "/web/dataset/call_kw/aftersales.kpi.report/web_read_group",
        lambda s: s.call_kw(
            "aftersales.kpi.report",
            "web_read_group",
            [],
            {"domain": [], "fields": ["__count"], "groupby": ["team_id"], "lazy": True},
        ),
    ),
    "KPI report (list)": (
        "as_analyst",
        "/web/dataset/call_kw/aftersales.kpi.report/web_search_read",
        lambda s: s.call_kw(
            "aftersales.kpi.report",
            "web_search_read",
            [],
            {
                "domain": [],
                "specification": {"ticket_id": {"fields": {"display_name": {}}}},
                "limit": 80,
            },
        ),
    ),
    "Overview": (
        "as_manager",
        "/web/dataset/call_kw/aftersales.team/web_search_read",
        lambda s: s.call_kw(
            "aftersales.team",
            "web_search_read",
            [],
            {
                "domain": [],
                "specification": {
                    name: {}
                    for name in (
                        "name",
                        "dashboard_new_count",
                        "dashboard_in_progress_count",
                        "dashboard_breached_count",
                        "dashboard_visit_today_count",
                        "dashboard_month_ticket_count",
                        "dashboard_month_on_time",
                        "dashboard_month_satisfaction",
                    )
                },
            },
        ),
    ),
    "Ticket list": (
        "as_manager",
        "/web/dataset/call_kw/aftersales.ticket/web_search_read",
        lambda s: s.call_kw(
            "aftersales.ticket",
            "web_search_read",
            [],
            {
                "domain": [],
                "specification": {
                    "name": {},
                    "state": {},
                    "priority": {},
                    "partner_id": {"fields": {"display_name": {}}},
                    "technician_id": {"fields": {"display_name": {}}},
                    "sla_status": {},
                },
                "limit": 80,
            },
        ),
    ),
    "Portal ticket list": ("as_customer", "/my/aftersales", lambda s: s.get("/my/aftersales")),
    "Portal warranty list": ("as_customer", "/my/warranties", lambda s: s.get("/my/warranties")),
}


def access_modes(logfile):
    """(path, cursor mode) -> requests, from a node's access log; and the read->write
    fallbacks Odoo logged."""
    modes, fallbacks = Counter(), 0
    with open(logfile, encoding="utf-8", errors="replace") as file:
        for line in file:
            if "retrying with a read/write cursor" in line:
                fallbacks += 1
            match = ACCESS_LINE.search(line)
            if match:
                modes[(match.group(2).split("?")[0], match.group(4))] += 1
    return modes, fallbacks


def prove_replica_reads(args, nodes):
    before = replica_transactions(args)
    sessions = {}
    for node in nodes:
        for login, _path, read in READS.values():
            key = (node["port"], login)
            if key not in sessions:
                sessions[key] = WebSession(node["port"], args.db, login)
            for _round in range(args.rounds):
                read(sessions[key])
    time.sleep(1)  # the access log line is written after the response
    served = replica_transactions(args) - before
    rows, fallbacks = [], 0
    totals = defaultdict(Counter)
    for node in nodes:
        modes, node_fallbacks = access_modes(node["log"])
        fallbacks += node_fallbacks
        for label, (_login, path, _read) in READS.items():
            for (logged, mode), count in modes.items():
                if logged == path:
                    totals[label][mode] += count
    for label in READS:
        modes = totals[label]
        rows.append((label, modes["ro"], modes["ro->rw"], modes["rw"]))
    return rows, fallbacks, served


# ----------------------------------------------------------------------
# 2. SLA escalation on several nodes
# ----------------------------------------------------------------------


# How many escalations each ticket got: {n: tickets escalated n times}.
ACTIVITIES_PER_TICKET = """
    SELECT t.id, count(a.id)
      FROM aftersales_ticket t
      LEFT JOIN mail_activity a
        ON a.res_model = 'aftersales.ticket' AND a.res_id = t.id
       AND a.summary LIKE 'SLA breached%%'
     WHERE t.id IN %s
     GROUP BY t.id
"""
NOTES_PER_TICKET = """
    SELECT t.id, count(m.id)
      FROM aftersales_ticket t
      LEFT JOIN mail_message m
        ON m.model = 'aftersales.ticket' AND m.res_id = t.id
       AND m.body LIKE '%%SLA breached%%'
     WHERE t.id IN %s
     GROUP BY t.id
"""


def per_ticket(cr, ticket_ids, query):
    cr.execute(query, [tuple(ticket_ids)])
    return Counter(count for _id, count in cr.fetchall())


def prepare_overdue_tickets(args):
    registry = registry_of(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {"mail_notify_force_send": False})
        partner = env["res.partner"].create({"name": "Scale-out SLA customer"})
        tickets = (
            env["aftersales.ticket"]
            .with_context(aftersales_no_customer_mail=True)
            .create(
                [
                    {"partner_id": partner.id, "description": f"Overdue {i}"}
                    for i in range(args.tickets)
                ]
            )
        )
        env.flush_all()
        cr.execute(
            """
            UPDATE aftersales_ticket
               SET deadline_response = now() at time zone 'UTC' - interval '10 minutes',
                   sla_warn_response = now() at time zone 'UTC' - interval '1 hour',
                   sla_response_warned = TRUE,
                   sla_next_check = now() at time zone 'UTC' - interval '1 minute'
             WHERE id IN %s
            """,
            [tuple(tickets.ids)],
        )
        cr.commit()
        return tickets.ids


def trigger_escalation(args):
    """The SLA cron is due now: every cron node is told (ir.cron trigger + NOTIFY)."""
    with registry_of(args.db).cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        env.ref("aftersales_service.ir_cron_sla_escalation")._trigger()


def escalate_worker(db, batch, start_at):
    """Run the cron's method in small batches until nothing is due (another process),
    starting at the same moment as the cron nodes."""
    registry = registry_of(db)
    time.sleep(max(0.0, start_at - time.time()))
    done = 0
    while True:
        with registry.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {})
            count = env["aftersales.ticket"]._cron_sla_escalate(limit=batch)
            cr.commit()
        done += count
        if not count:
            break
    print(json.dumps({"escalated": done}))


def prove_escalation_once(args, ticket_ids):
    start_at = time.time() + 15  # the processes have loaded Odoo by then
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--escalate-worker",
                args.db,
                "--batch",
                "10",
                "--start-at",
                str(start_at),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _i in range(2)
    ]
    time.sleep(max(0.0, start_at - time.time()))
    trigger_escalation(args)
    by_worker = [
        json.loads(w.communicate(timeout=600)[0].strip().splitlines()[-1])["escalated"]
        for w in workers
    ]
    registry = registry_of(args.db)
    deadline = time.monotonic() + 180
    while True:
        with registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM aftersales_ticket "
                "WHERE id IN %s AND sla_next_check <= now() at time zone 'UTC'",
                [tuple(ticket_ids)],
            )
            pending = cr.fetchone()[0]
        if not pending or time.monotonic() > deadline:
            break
        time.sleep(1)
    with registry.cursor() as cr:
        activities = per_ticket(cr, ticket_ids, ACTIVITIES_PER_TICKET)
        notes = per_ticket(cr, ticket_ids, NOTES_PER_TICKET)
        cr.execute(
            "SELECT count(*) FROM aftersales_ticket WHERE id IN %s AND sla_response_escalated",
            [tuple(ticket_ids)],
        )
        flagged = cr.fetchone()[0]
    return activities, notes, flagged, by_worker


# ----------------------------------------------------------------------
# 3. XML-RPC load on one node, then two
# ----------------------------------------------------------------------


def xmlrpc_load(args, fixtures, ports):
    stats = cc.Stats()

    def open_window():
        begin = time.monotonic() + args.warmup
        stats.window = (begin, begin + args.seconds)

    stats.window = (0.0, float("inf"))
    barrier = threading.Barrier(args.clients, action=open_window)
    clients = []
    for i in range(args.clients):
        client_args = argparse.Namespace(**{**vars(args), "port": ports[i % len(ports)]})
        clients.append(cc.Client(i, client_args, fixtures, stats, barrier))
    for client in clients:
        client.start()
    for client in clients:
        client.join(timeout=cc.REQUEST_TIMEOUT * 4 + args.warmup + args.seconds)
    begin, end = stats.window
    elapsed = min(time.monotonic(), end) - begin
    requests = sum(len(v) for op, v in stats.latencies.items() if op != "login")
    creations = sorted(stats.latencies["create ticket"])
    if not creations:
        raise SystemExit(f"no ticket was created over XML-RPC: {stats.errors[:3]}")
    p50 = creations[len(creations) // 2]
    return {
        "flows_per_s": stats.flows / elapsed,
        "requests_per_s": requests / elapsed,
        "create_p50_ms": p50 * 1000,
        "errors": len(stats.errors),
    }


# ----------------------------------------------------------------------


def report_reads(rows, fallbacks, served):
    failures = []
    print(
        "\n| screen (both HTTP nodes) | read-only (replica) | read->write fallbacks | read/write |"
    )
    print("|---|---|---|---|")
    for label, ro, fallback, rw in rows:
        print(f"| {label} | {ro} | {fallback} | {rw} |")
        if fallback or rw or not ro:
            failures.append(f"{label}: {ro} ro, {fallback} ro->rw, {rw} rw")
    print(f"\nfallbacks logged by the nodes: {fallbacks}; standby transactions: {served}")
    if fallbacks:
        failures.append(f"{fallbacks} read->write fallbacks")
    return failures


def report_escalation(ticket_ids, result):
    activities, notes, flagged, by_worker = result
    once = activities[1] == len(ticket_ids) and notes[1] == len(ticket_ids)
    print(
        f"\nSLA escalation of {len(ticket_ids)} overdue tickets, 2 cron nodes and 2 processes: "
        f"activities per ticket {dict(activities)}, notes per ticket {dict(notes)}, "
        f"flagged {flagged}; the two processes took {by_worker} due tickets (any due ticket "
        f"of the database), the cron nodes the rest"
    )
    if not once or flagged != len(ticket_ids):
        return ["SLA escalation not exactly once"]
    return []


def report_load(args, one, two):
    print(
        f"\n| XML-RPC, {args.clients} clients, {args.seconds:g} s "
        "| flows/s | requests/s | create p50 | errors |"
    )
    print("|---|---|---|---|---|")
    for label, result in ((f"node A ({args.workers} workers)", one), ("nodes A + B", two)):
        print(
            f"| {label} | {result['flows_per_s']:.1f} | {result['requests_per_s']:.1f} | "
            f"{result['create_p50_ms']:.0f} ms | {result['errors']} |"
        )
    print(f"ratio two nodes / one node (flows/s): {two['flows_per_s'] / one['flows_per_s']:.2f}")
    return ["XML-RPC errors"] if one["errors"] or two["errors"] else []


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default="aftersales_scale")
    parser.add_argument("--template", default="aftersales_demo")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--workers", type=int, default=2, help="workers per HTTP node")
    parser.add_argument("--rounds", type=int, default=5, help="reads per screen and node")
    parser.add_argument("--tickets", type=int, default=300, help="overdue tickets to escalate")
    parser.add_argument("--replica-port", type=int, default=5433)
    parser.add_argument("--base-port", type=int, default=8601)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--escalate-worker", metavar="DB", help=argparse.SUPPRESS)
    parser.add_argument("--batch", type=int, default=10, help=argparse.SUPPRESS)
    parser.add_argument("--start-at", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.escalate_worker:
        escalate_worker(args.escalate_worker, args.batch, args.start_at)
        return
    # What benchmarks/concurrency.py's clients and fixtures read.
    args.reps, args.technicians, args.race_every = 4, 8, 3
    fixtures = prepare_database(args)
    nodes, failures = [], []
    try:
        start_standby(args)
        http = {"workers": args.workers, "cron_threads": 0, "replica": True}
        node_a = start_node(args, "A", args.base_port, **http)
        node_b = start_node(args, "B", args.base_port + 1, **http)
        nodes += [node_a, node_b]
        nodes.append(
            start_node(args, "cron", args.base_port + 2, workers=0, cron_threads=2, replica=False)
        )

        failures += report_reads(*prove_replica_reads(args, [node_a, node_b]))
        ticket_ids = prepare_overdue_tickets(args)
        nodes.append(
            start_node(args, "cron2", args.base_port + 3, workers=0, cron_threads=2, replica=False)
        )
        failures += report_escalation(ticket_ids, prove_escalation_once(args, ticket_ids))
        one = xmlrpc_load(args, fixtures, [node_a["port"]])
        two = xmlrpc_load(args, fixtures, [node_a["port"], node_b["port"]])
        failures += report_load(args, one, two)
    finally:
        for node in nodes:
            stop_node(node)
        stop_standby()
        if not args.keep:
            cc.drop_database(args.db)
    if failures:
        print("FAILED: " + "; ".join(failures))
        raise SystemExit(1)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_a: sys.exit(1))
    main()
