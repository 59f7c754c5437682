#!/usr/bin/env python3
"""Time a service centre's portal job list (/my/center/jobs) with 50,000 jobs in the
database.

Usage (from the repository root):
    .venv/bin/python benchmarks/center_portal.py --source-db aftersales_demo
        [--db aftersales_center_bench] [--jobs 50000] [--centers 25] [--own 2000]
        [--rounds 100] [--port 8492] [--keep] [--json PATH]
A scratch database is copied from --source-db (which must have aftersales_service
installed and is not changed), then 25 service centres with one portal user each
(password = login) are created through the ORM and --jobs tickets inserted with SQL: the
measured centre gets --own of them (a quarter to accept, the rest in progress, resolved,
closed), the other centres and plain technician tickets share the rest. An Odoo server
(threaded, no cron) serves the scratch database on 127.0.0.1:--port; the centre's user logs
in over HTTP and GETs, --rounds times each after 5 warm-ups: the default list (jobs to do),
the whole list (filterby=all), its last page, and one job page. The report gives median and
p95 per page (goal: list p95 < 300 ms). The scratch database is dropped at the end unless
--keep.
"""

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from contextlib import closing

import odoo_env
import psycopg2
import requests
from odoo_env import ODOO_SRC, open_registry

import odoo
from odoo import Command, api
from odoo.sql_db import connection_info_for

ADDONS_PATH = f"{ODOO_SRC}/addons,{ODOO_SRC}/odoo/addons,{odoo_env.REPO}"
PAGES = {
    "list (to do)": "/my/center/jobs",
    "list (all)": "/my/center/jobs?filterby=all",
    "list (last page)": None,  # set once the page count is known
    "job page": None,
}

TICKET_INSERT = """
    INSERT INTO aftersales_ticket (
        name, company_id, partner_id, commercial_partner_id, category_id, channel, priority,
        state, warranty_state, service_center_id, technician_id, access_token,
        create_date, write_date, create_uid, write_uid, date_assigned, date_accepted,
        date_resolved, date_deadline, description)
    SELECT
        'CPB-' || g, %(company)s, c.customer, c.customer, %(category)s, 'phone', '1',
        CASE WHEN c.center IS NULL THEN 'closed'
             WHEN g %% 4 = 0 THEN 'assigned'
             WHEN g %% 4 = 1 THEN 'in_progress'
             WHEN g %% 4 = 2 THEN 'resolved'
             ELSE 'closed' END,
        'none', c.center, NULL, md5(g::text),
        now() - (g %% 700) * interval '1 hour', now(), 1, 1,
        now() - (g %% 700) * interval '1 hour' + interval '10 minutes',
        CASE WHEN g %% 4 <> 0 AND c.center IS NOT NULL
             THEN now() - (g %% 700) * interval '1 hour' + interval '30 minutes' END,
        CASE WHEN g %% 4 >= 2 THEN now() - (g %% 700) * interval '1 hour' + interval '1 day' END,
        now() + interval '1 day',
        '<p>Benchmark job ' || g || '</p>'
    FROM generate_series(1, %(jobs)s) AS g
    CROSS JOIN LATERAL (
        SELECT
            (%(customers)s::int[])[1 + g %% cardinality(%(customers)s::int[])] AS customer,
            CASE
                WHEN g <= %(own)s THEN %(own_center)s
                WHEN g %% 5 = 0 THEN NULL
                ELSE (%(centers)s::int[])[1 + g %% cardinality(%(centers)s::int[])]
            END AS center
    ) c
"""


def odoo_bin(*args):
    return [sys.executable, f"{ODOO_SRC}/odoo-bin", f"--addons-path={ADDONS_PATH}", *args]


def run_sql(db, sql):
    info = connection_info_for(db)[1]
    with closing(psycopg2.connect(**info)) as cnx:
        cnx.autocommit = True
        with cnx.cursor() as cur:
            cur.execute(sql)


def prepare(args):
    """The scratch database with its centres, users and jobs; (login, one job id)."""
    subprocess.run(["createdb", "-T", args.source_db, args.db], check=True)
    registry = open_registry(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {"aftersales_no_customer_mail": True})
        company = env.company
        zone = env["aftersales.zone"].create({"name": "Bench zone", "arrival_hours": 8})
        portal = env.ref("base.group_portal")
        centers = env["res.partner"]
        for index in range(args.centers):
            center = env["res.partner"].create(
                {
                    "name": f"Bench Centre {index:02d}",
                    "is_company": True,
                    "aftersales_is_service_center": True,
                }
            )
            person = env["res.partner"].create(
                {"name": f"Bench Fitter {index:02d}", "parent_id": center.id}
            )
            env["res.users"].with_context(no_reset_password=True).create(
                {
                    "name": person.name,
                    "login": f"bench_centre_{index:02d}",
                    "password": f"bench_centre_{index:02d}",
                    "partner_id": person.id,
                    "groups_id": [Command.set(portal.ids)],
                }
            )
            centers |= center
        customers = env["res.partner"].create(
            [
                {
                    "name": f"Bench Customer {index:03d}",
                    "is_company": True,
                    "city": "Tianjin",
                    "street": f"{index} Bench Road",
                    "aftersales_zone_id": zone.id,
                }
                for index in range(200)
            ]
        )
        env.flush_all()
        cr.execute(
            TICKET_INSERT,
            {
                "company": company.id,
                "category": env.ref("aftersales_service.category_technical_fault").id,
                "customers": customers.ids,
                "centers": centers[1:].ids,
                "own_center": centers[0].id,
                "own": args.own,
                "jobs": args.jobs,
            },
        )
        cr.execute(
            "SELECT max(id) FROM aftersales_ticket WHERE service_center_id = %s",
            [centers[0].id],
        )
        job_id = cr.fetchone()[0]
        cr.commit()
    run_sql(args.db, "ANALYZE")
    return "bench_centre_00", job_id


def start_server(args, logfile):
    command = odoo_bin(
        "-d",
        args.db,
        f"--db-filter=^{re.escape(args.db)}$",
        "--http-port",
        str(args.port),
        "--http-interface",
        "127.0.0.1",
        "--max-cron-threads=0",
        f"--logfile={logfile}",
        "--log-level=warn",
    )
    server = subprocess.Popen(command, start_new_session=True, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}; see {logfile}")
        try:
            requests.get(f"http://127.0.0.1:{args.port}/web/webclient/version_info", timeout=2)
            return server
        except requests.RequestException:
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


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(args, login, job_id):
    base = f"http://127.0.0.1:{args.port}"
    session = requests.Session()
    answer = session.post(
        f"{base}/web/session/authenticate",
        json={"jsonrpc": "2.0", "params": {"db": args.db, "login": login, "password": login}},
        timeout=60,
    ).json()
    if "error" in answer:
        raise SystemExit(f"login failed: {answer['error']}")
    pages = dict(PAGES)
    pages["list (last page)"] = f"/my/center/jobs/page/{-(-args.own // 20)}?filterby=all"
    pages["job page"] = f"/my/center/jobs/{job_id}"
    results = {}
    for label, path in pages.items():
        timings = []
        for round_ in range(5 + args.rounds):
            start = time.perf_counter()
            response = session.get(base + path, timeout=60)
            elapsed = time.perf_counter() - start
            if response.status_code != 200 or "CPB-" not in response.text:
                raise SystemExit(f"{path}: HTTP {response.status_code}, no job in the page")
            if round_ >= 5:
                timings.append(elapsed * 1000)
        results[label] = {
            "path": path,
            "median_ms": round(statistics.median(timings), 1),
            "p95_ms": round(percentile(timings, 0.95), 1),
            "max_ms": round(max(timings), 1),
        }
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source-db", required=True)
    parser.add_argument("--db", default="aftersales_center_bench")
    parser.add_argument("--jobs", type=int, default=50000)
    parser.add_argument("--centers", type=int, default=25)
    parser.add_argument("--own", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--port", type=int, default=8492)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--json")
    args = parser.parse_args()
    logfile = f"/tmp/{args.db}.log"
    login, job_id = prepare(args)
    odoo.sql_db.close_db(args.db)
    server = start_server(args, logfile)
    try:
        results = measure(args, login, job_id)
    finally:
        stop_server(server)
        if not args.keep:
            odoo.sql_db.close_all()
            subprocess.run(["dropdb", args.db], check=False)
    print(f"centre portal, {args.jobs:,} jobs ({args.own:,} of the centre), {args.rounds} rounds")
    print("| page | median | p95 | max |\n|---|---|---|---|")
    for label, row in results.items():
        print(f"| {label} | {row['median_ms']} ms | {row['p95_ms']} ms | {row['max_ms']} ms |")
    worst = max(results[k]["p95_ms"] for k in results if k.startswith("list"))
    print(f"list p95 {worst} ms: {'OK' if worst < 300 else 'OVER'} the 300 ms goal")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(results, handle, indent=2)


if __name__ == "__main__":
    main()
