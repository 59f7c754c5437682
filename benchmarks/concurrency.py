#!/usr/bin/env python3
"""Load a multi-worker Odoo server with concurrent customer-service clients over XML-RPC:
ticket intake, dispatch and acceptance, with technicians racing to accept the same ticket.

Usage (from the repository root):
    .venv/bin/python benchmarks/concurrency.py [--db aftersales_concurrency]
        [--clients 20] [--seconds 60] [--workers 4] [--port 8369] [--warmup 5]
        [--reps 4] [--technicians 8] [--race-every 3] [--no-update] [--drop]
        [--json PATH]
The database is a scratch one of the benchmark's own: created with aftersales_service and
no demo data when it does not exist (and marked as such); any other database is refused,
since the run leaves its tickets behind. Otherwise the add-on is updated first
(--no-update skips that). Customer-service users (group_aftersales_user), technician users
(group_aftersales_technician) with their employees, one team and 50 customers are created
through the registry the first time; every password is the login. Then an Odoo server runs
on 127.0.0.1:--port with --workers workers and no cron thread, its log in a temporary file.

Each client thread logs in over XML-RPC as one rep and two technicians of the team, then
loops until the end of the window: the rep creates a ticket (customer, description, team;
the acknowledgement mail is queued, not sent), dispatches it to one of the two technicians
(aftersales.ticket action_assign with the hr.employee id), and that technician accepts it
(action_accept). Every --race-every-th ticket two requests accept it at the same moment,
alternately the assignee twice (a double click on two devices) and the assignee against the
team colleague: exactly one may succeed, the other must be refused with a UserError or
AccessError (not in the right state, or not the assignee) -- a correct refusal -- and the
rep then reads the ticket back to check it is in progress with the assignee. Anything else
is a real error: an HTTP error, a fault that is not such a refusal (serialization failures
that Odoo retried and won are fine; ones that exhausted the retries are errors), two
accepts, or a wrong state. The first --warmup seconds are not measured. The report gives
the operations, the throughput, p50 and p95 per operation, the correct refusals, the real
errors with their message, and the server log's retries and ERROR entries. The server is
stopped at the end; --drop drops the scratch database afterwards.
"""

import argparse
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import xmlrpc.client
from collections import Counter, defaultdict
from contextlib import closing

import psycopg2
from odoo_env import ODOO_SRC, REPO, open_registry

import odoo
from odoo import Command, api
from odoo.sql_db import connection_info_for

ADDONS_PATH = f"{ODOO_SRC}/addons,{ODOO_SRC}/odoo/addons,{REPO}"
SCRATCH_PARAM = "aftersales_benchmark.concurrency_scratch"
REFUSALS = re.compile(r"cannot be accepted|Only the assigned technician")
REQUEST_TIMEOUT = 120  # seconds: a request still unanswered then is an error
CREATE_KWARGS = {"context": {"mail_notify_force_send": False}}  # queue the customer mail
OPERATIONS = ["login", "create ticket", "dispatch", "accept", "accept (race)", "read back"]


# ----------------------------------------------------------------------
# Scratch database, fixtures and server
# ----------------------------------------------------------------------


def odoo_bin(*args):
    return [sys.executable, f"{ODOO_SRC}/odoo-bin", f"--addons-path={ADDONS_PATH}", *args]


def database_exists(db):
    info = connection_info_for("postgres")[1]
    with closing(psycopg2.connect(**info)) as cnx, cnx.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db])
        return bool(cur.fetchone())


def prepare_database(args):
    """Create the scratch database, or check that ``args.db`` is one and update the add-on;
    whether the database was created."""
    if not database_exists(args.db):
        print(f"creating {args.db} with aftersales_service (no demo data)", file=sys.stderr)
        init = ["-i", "aftersales_service", "--without-demo=all"]
        subprocess.run(
            odoo_bin("-d", args.db, *init, "--stop-after-init", "--log-level=warn"), check=True
        )
        return True
    info = connection_info_for(args.db)[1]
    with closing(psycopg2.connect(**info)) as cnx, cnx.cursor() as cur:
        cur.execute("SELECT value FROM ir_config_parameter WHERE key = %s", [SCRATCH_PARAM])
        if not cur.fetchone():
            raise SystemExit(
                f"{args.db} is not a scratch database of this benchmark; name one that does "
                "not exist and it will be created"
            )
    if not args.no_update:
        print(f"updating aftersales_service in {args.db}", file=sys.stderr)
        update = ["-u", "aftersales_service", "--stop-after-init", "--log-level=warn"]
        subprocess.run(odoo_bin("-d", args.db, *update), check=True)
    return False


def ensure_user(env, login, group):
    user = env["res.users"].with_context(active_test=False).search([("login", "=", login)])
    if not user:
        user = env["res.users"].create(
            {
                "name": login.replace("_", " ").title(),
                "login": login,
                "email": f"{login}@example.com",
                "groups_id": [Command.set([group.id])],
            }
        )
    user.write({"active": True, "password": login})
    return user


def prepare_fixtures(args, created):
    """Reps, technicians with employees, a team and customers; ids for the clients."""
    registry = open_registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        if created:
            env["ir.config_parameter"].set_param(SCRATCH_PARAM, "1")
        rep_group = env.ref("aftersales_service.group_aftersales_user")
        tech_group = env.ref("aftersales_service.group_aftersales_technician")
        reps = [ensure_user(env, f"bench_rep_{i:02d}", rep_group) for i in range(args.reps)]
        technicians = []
        for i in range(args.technicians):
            user = ensure_user(env, f"bench_tech_{i:02d}", tech_group)
            employee = env["hr.employee"].search([("user_id", "=", user.id)], limit=1)
            if not employee:
                employee = env["hr.employee"].create(
                    {"name": user.name, "user_id": user.id, "company_id": user.company_id.id}
                )
            technicians.append((user, employee))
        employees = env["hr.employee"].browse([e.id for _u, e in technicians])
        team = env["aftersales.team"].search([("name", "=", "Concurrency bench team")])
        if not team:
            team = env["aftersales.team"].create(
                {"name": "Concurrency bench team", "leader_id": employees[0].id}
            )
        team.member_ids = [Command.set(employees.ids)]
        customers = env["res.partner"].search([("name", "=like", "Concurrency bench customer%")])
        if len(customers) < 50:
            customers |= env["res.partner"].create(
                [
                    {
                        "name": f"Concurrency bench customer {i:02d}",
                        "is_company": True,
                        "email": f"customer{i:02d}@example.com",
                    }
                    for i in range(len(customers), 50)
                ]
            )
        cr.commit()
        return {
            "reps": [u.login for u in reps],
            "technicians": [(u.login, e.id) for u, e in technicians],
            "team": team.id,
            "customers": customers.ids,
        }


def start_server(args, logfile):
    command = odoo_bin(
        "-d",
        args.db,
        f"--db-filter=^{re.escape(args.db)}$",
        f"--workers={args.workers}",
        "--http-port",
        str(args.port),
        "--http-interface",
        "127.0.0.1",
        f"--gevent-port={args.port + 1}",
        "--max-cron-threads=0",
        f"--logfile={logfile}",
        "--log-level=info",
    )
    # A session of its own: stop_server() signals this server and its workers only.
    server = subprocess.Popen(command, start_new_session=True, stdin=subprocess.DEVNULL)
    common = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{args.port}/xmlrpc/2/common")
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}; see {logfile}")
        try:
            common.version()
            return server
        except OSError:
            time.sleep(0.5)
    stop_server(server)
    raise SystemExit(f"the server did not answer within 180 s; see {logfile}")


def stop_server(server):
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def drop_database(db):
    odoo.sql_db.close_db(db)
    info = connection_info_for("postgres")[1]
    with closing(psycopg2.connect(**info)) as cnx:
        cnx.autocommit = True
        with cnx.cursor() as cur:
            cur.execute(f'DROP DATABASE "{db}"')


# ----------------------------------------------------------------------
# Clients
# ----------------------------------------------------------------------


class TimeoutTransport(xmlrpc.client.Transport):
    def make_connection(self, host):
        connection = super().make_connection(host)
        connection.timeout = REQUEST_TIMEOUT
        return connection


class Stats:
    """Thread-safe record of every request: latencies, outcomes and real errors."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = defaultdict(list)
        self.outcomes = defaultdict(Counter)
        self.errors = []
        self.window = (0.0, 0.0)
        self.flows = 0
        self.races = Counter()

    def measured(self, start):
        return self.window[0] <= start < self.window[1]

    def add(self, operation, start, elapsed, outcome):
        if not self.measured(start):
            return
        with self.lock:
            self.latencies[operation].append(elapsed)
            self.outcomes[operation][outcome] += 1

    def error(self, start, operation, message):
        if not self.measured(start):
            return
        with self.lock:
            self.errors.append((operation, message))

    def flow_done(self, start, race=None):
        """A ticket went from intake to accepted (``race``: through that kind of race)."""
        if self.measured(start):
            with self.lock:
                self.flows += 1
                if race:
                    self.races[race] += 1


def fault_message(fault):
    """The message of an XML-RPC fault: the last line of a traceback, or the whole text."""
    text = fault.faultString.strip()
    if fault.faultCode == 1 and "Traceback" in text:
        return text.splitlines()[-1]
    return text


class Session:
    """One user's XML-RPC credentials; every call opens its own connection (the prefork
    workers close it after each request anyway), so a session may be used by two threads."""

    def __init__(self, base, db, login):
        self.base, self.db, self.login, self.uid = base, db, login, None

    def proxy(self, service):
        return xmlrpc.client.ServerProxy(
            f"{self.base}/xmlrpc/2/{service}", allow_none=True, transport=TimeoutTransport()
        )

    def authenticate(self):
        self.uid = self.proxy("common").authenticate(self.db, self.login, self.login, {})
        if not self.uid:
            raise RuntimeError(f"{self.login} could not log in")
        return self.uid

    def execute(self, model, method, args, kwargs=None):
        return self.proxy("object").execute_kw(
            self.db, self.uid, self.login, model, method, args, kwargs or {}
        )


def call(stats, operation, function, *args, refusal_ok=False, flow=None):
    """Run ``function(*args)``, time it, record it. Returns (outcome, result): outcome is
    "ok", "refused" (an expected UserError/AccessError, only when ``refusal_ok``) or
    "error" (recorded with its message). A request of a ticket flow counts when the flow
    started (``flow``: its start) in the measured window, any other when it starts there."""
    start = time.monotonic()
    at = start if flow is None else flow
    try:
        result = function(*args)
    except xmlrpc.client.Fault as fault:
        elapsed = time.monotonic() - start
        message = fault_message(fault)
        if refusal_ok and fault.faultCode in (2, 4) and REFUSALS.search(message):
            stats.add(operation, at, elapsed, "refused")
            return "refused", message
        stats.add(operation, at, elapsed, "error")
        stats.error(at, operation, f"Fault {fault.faultCode}: {message}")
        return "error", message
    except (xmlrpc.client.ProtocolError, OSError, RuntimeError) as exc:
        elapsed = time.monotonic() - start
        message = f"{type(exc).__name__}: {exc}"
        stats.add(operation, at, elapsed, "error")
        stats.error(at, operation, message)
        return "error", message
    stats.add(operation, at, time.monotonic() - start, "ok")
    return "ok", result


class Client(threading.Thread):
    def __init__(self, index, args, fixtures, stats, barrier):
        super().__init__(name=f"client-{index}", daemon=True)
        base = f"http://127.0.0.1:{args.port}"
        technicians = fixtures["technicians"]
        self.rep = Session(base, args.db, fixtures["reps"][index % len(fixtures["reps"])])
        self.techs = [
            (Session(base, args.db, login), employee)
            for login, employee in (
                technicians[index % len(technicians)],
                technicians[(index + 1) % len(technicians)],
            )
        ]
        self.index, self.args, self.fixtures = index, args, fixtures
        self.stats, self.barrier = stats, barrier
        self.rng = random.Random(index)
        self.failed = None

    def run(self):
        stats = self.stats
        for session in (self.rep, *(s for s, _e in self.techs)):
            outcome, _result = call(stats, "login", session.authenticate)
            if outcome != "ok":
                self.failed = f"{session.login} could not log in"
        try:
            self.barrier.wait(timeout=REQUEST_TIMEOUT * 2)
        except threading.BrokenBarrierError:
            return
        if self.failed:
            return
        number = 0
        while time.monotonic() < stats.window[1]:
            number += 1
            self.flow(number)

    def flow(self, number):
        stats, rep = self.stats, self.rep
        start = time.monotonic()
        values = {
            "partner_id": self.rng.choice(self.fixtures["customers"]),
            "team_id": self.fixtures["team"],
            "description": f"<p>Concurrency bench {self.index}-{number}: no cooling.</p>",
        }
        outcome, ticket = call(
            stats,
            "create ticket",
            rep.execute,
            "aftersales.ticket",
            "create",
            [values],
            CREATE_KWARGS,
            flow=start,
        )
        if outcome != "ok":
            return
        assignee, employee = self.techs[number % 2]
        colleague = self.techs[(number + 1) % 2][0]
        outcome, _result = call(
            stats,
            "dispatch",
            rep.execute,
            "aftersales.ticket",
            "action_assign",
            [[ticket], employee],
            flow=start,
        )
        if outcome != "ok":
            return
        if number % self.args.race_every:
            outcome, _result = call(
                stats,
                "accept",
                assignee.execute,
                "aftersales.ticket",
                "action_accept",
                [[ticket]],
                flow=start,
            )
            if outcome == "ok":
                stats.flow_done(start)
            return
        # Clients start on alternate kinds, so that a short run sees both.
        races = number // self.args.race_every + self.index
        kind = "assignee twice" if races % 2 else "assignee vs colleague"
        other = assignee if kind == "assignee twice" else colleague
        self.race(start, ticket, kind, [assignee, other], employee)

    def race(self, start, ticket, kind, sessions, employee):
        stats = self.stats
        barrier = threading.Barrier(len(sessions))
        results = [None] * len(sessions)

        def accept(position, session):
            barrier.wait()
            results[position] = (
                session,
                call(
                    stats,
                    "accept (race)",
                    session.execute,
                    "aftersales.ticket",
                    "action_accept",
                    [[ticket]],
                    refusal_ok=True,
                    flow=start,
                ),
            )

        racers = [
            threading.Thread(target=accept, args=(i, s), daemon=True)
            for i, s in enumerate(sessions)
        ]
        for racer in racers:
            racer.start()
        for racer in racers:
            racer.join()
        if any(outcome == "error" for _s, (outcome, _r) in results):
            return  # already recorded
        winners = [s for s, (outcome, _r) in results if outcome == "ok"]
        if len(winners) != 1 or winners[0] is not sessions[0]:
            who = ", ".join(s.login for s in winners) or "nobody"
            stats.error(start, "accept (race)", f"{kind}: ticket {ticket} accepted by {who}")
            return
        outcome, rows = call(
            stats,
            "read back",
            self.rep.execute,
            "aftersales.ticket",
            "read",
            [[ticket], ["state", "technician_id", "date_accepted"]],
            flow=start,
        )
        if outcome != "ok":
            return
        row = rows[0]
        if (
            row["state"] != "in_progress"
            or not row["technician_id"]
            or row["technician_id"][0] != employee
        ):
            stats.error(start, "read back", f"{kind}: ticket {ticket} read back as {row}")
            return
        stats.flow_done(start, race=kind)


# ----------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def read_log(logfile):
    """From the server log (warm-up included): the retries after concurrency failures by
    kind, the HTTP statuses other than 200, the ERROR entries that are such a failure (the
    query's error, logged before the retry), and the other ERROR entries as (first line,
    last line of their traceback)."""
    retries, statuses, conflicts, errors = Counter(), Counter(), 0, []
    entry = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (\w+) ")
    status = re.compile(r'werkzeug: .*"[A-Z]+ [^"]*" (\d{3}) ')
    entries, current = [], None
    with open(logfile, encoding="utf-8", errors="replace") as file:
        for line in file:
            match = entry.match(line)
            if match:
                current = None
                if " tries left, try again " in line:
                    retries[line.split(" odoo.service.model: ")[-1].split(",")[0]] += 1
                http = status.search(line)
                if http and http.group(1) != "200":
                    statuses[http.group(1)] += 1
                if match.group(1) in ("ERROR", "CRITICAL"):
                    current = [line.strip()]
                    entries.append(current)
            elif current is not None and line.strip():
                current.append(line.strip())
    for lines in entries:
        text = "\n".join(lines)
        if "bad query" in lines[0] and re.search(
            r"could not serialize access|deadlock detected|lock not available", text
        ):
            conflicts += 1
        else:
            errors.append((lines[0], lines[-1] if len(lines) > 1 else ""))
    return retries, statuses, conflicts, errors


def report(args, stats, logfile, elapsed):
    retries, statuses, conflicts, log_errors = read_log(logfile)
    measured = {op: stats.latencies[op] for op in OPERATIONS if stats.latencies[op]}
    requests = sum(len(v) for op, v in measured.items() if op != "login")
    refused = sum(stats.outcomes[op]["refused"] for op in OPERATIONS)
    failures = len(stats.errors)
    print(
        f"{args.clients} clients, {args.workers} workers, {elapsed:.0f} s measured after a "
        f"{args.warmup:g} s warm-up; load average (1 min) after: {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} CPUs"
    )
    print(
        f"{stats.flows:,} tickets created, dispatched and accepted ({stats.flows / elapsed:.1f}/s);"
        f" {requests:,} requests ({requests / elapsed:.1f}/s)"
    )
    print("| operation | requests | p50 | p95 | max | ok | correct refusals | real errors |")
    print("|---|---|---|---|---|---|---|---|")
    rows = []
    for operation, times in measured.items():
        outcomes = stats.outcomes[operation]
        p50, p95 = statistics.median(times), percentile(times, 0.95)
        print(
            f"| {operation} | {len(times):,} | {p50 * 1000:.0f} ms | {p95 * 1000:.0f} ms | "
            f"{max(times) * 1000:.0f} ms | {outcomes['ok']:,} | {outcomes['refused']:,} | "
            f"{outcomes['error']:,} |"
        )
        rows.append(
            {
                "operation": f"XML-RPC {operation}, p50 latency, {args.clients} clients",
                "ours_s": round(p50, 4),
                "reference_s": None,
                "ratio": None,
                "queries_ours": None,
                "queries_reference": None,
                "note": f"p95 {p95 * 1000:.0f} ms; {len(times)} requests, "
                f"{outcomes['refused']} correct refusals, {outcomes['error']} errors; "
                f"{args.workers} workers",
            }
        )
    races = ", ".join(f"{n:,} {kind}" for kind, n in sorted(stats.races.items())) or "none"
    print(f"races checked (one accept, the other refused, read back in progress): {races}")
    print(f"correct refusals: {refused:,}; real errors: {failures:,}")
    for (operation, message), count in Counter(stats.errors).most_common(10):
        print(f"  - {count} x {operation}: {message[:300]}")
    retried = ", ".join(f"{n} {code}" for code, n in retries.items()) or "none"
    codes = ", ".join(f"{n} x {code}" for code, n in sorted(statuses.items())) or "none"
    print(f"server log {logfile} (warm-up included):")
    print(f"  retries after concurrency failures: {retried} ({conflicts} logged as bad query)")
    print(f"  HTTP statuses other than 200: {codes}")
    print(f"  other ERROR entries: {len(log_errors)}")
    for first, last in log_errors[:5]:
        print(f"  - {first[:200]}{' / ' + last[:200] if last else ''}")
    rows.append(
        {
            "operation": f"XML-RPC ticket flow, {args.clients} clients x {elapsed:.0f} s",
            "ours_s": round(elapsed / stats.flows, 4) if stats.flows else None,
            "reference_s": None,
            "ratio": None,
            "queries_ours": None,
            "queries_reference": None,
            "note": f"seconds per completed flow; {stats.flows / elapsed:.1f} flows/s, "
            f"{requests / elapsed:.1f} requests/s, {refused} correct refusals, {failures} real "
            f"errors, {len(log_errors)} other server ERROR entries, HTTP non-200: {codes}, "
            f"retries: {retried}",
        }
    )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as file:
            json.dump(rows, file, indent=2)
    return failures


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default="aftersales_concurrency")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=5, help="seconds not measured")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8369)
    parser.add_argument("--reps", type=int, default=4)
    parser.add_argument("--technicians", type=int, default=8)
    parser.add_argument("--race-every", type=int, default=3, help="every n-th ticket is raced")
    parser.add_argument("--no-update", action="store_true", help="do not update the add-on")
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    args = parser.parse_args()
    created = prepare_database(args)
    fixtures = prepare_fixtures(args, created)
    with tempfile.NamedTemporaryFile(
        prefix="aftersales-concurrency-", suffix=".log", delete=False
    ) as log:
        logfile = log.name
    server = start_server(args, logfile)
    stats = Stats()
    try:

        def open_window():
            # Run once all clients have logged in, before any of them goes on.
            begin = time.monotonic() + args.warmup
            stats.window = (begin, begin + args.seconds)

        stats.window = (0.0, float("inf"))  # the logins are measured
        barrier = threading.Barrier(args.clients, action=open_window)
        clients = [Client(i, args, fixtures, stats, barrier) for i in range(args.clients)]
        for client in clients:
            client.start()
        for client in clients:
            client.join(timeout=REQUEST_TIMEOUT * 4 + args.warmup + args.seconds)
        begin, end = stats.window
        elapsed = min(time.monotonic(), end) - begin
    finally:
        stop_server(server)
    failures = report(args, stats, logfile, elapsed)
    if args.drop:
        drop_database(args.db)
    if failures:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
