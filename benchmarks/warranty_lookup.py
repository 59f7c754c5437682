#!/usr/bin/env python3
"""Time the warranty lookup by serial number that a service rep does when a customer calls,
over a million warranty registrations.

Usage (from the repository root, a database with aftersales_service installed):
    .venv/bin/python benchmarks/warranty_lookup.py --db aftersales_demo
        [--registrations 1000000] [--rounds 3] [--lookups 1000] [--batch 250000]
        [--user as_rep] [--btree-probe] [--json PATH] [--no-vacuum]
One serial (stock.lot) per registration, both inserted with SQL: 10 serial-tracked
products, 500 customers, registrations started over the last 5 years on a 24-month rule,
one in 50 void. Two paths are timed, each as --user (a customer service rep; the
superuser if there is no such login) with the context a web client sends (language, time
zone, company) and a cold ORM cache per lookup, as in a new request:
  - warranty by serial: aftersales.warranty search on lot_id.name = serial, not void,
    limit 1, then its state and end date are read;
  - ticket side: stock.lot search on name = serial, then the warranty search by lot_id.
Each round times --lookups random serials (a warm-up round first); the table gives the
median and 95th percentile per lookup over all rounds (goal: under 5 ms) and the EXPLAIN
(ANALYZE, BUFFERS) of the SQL of one lookup of each path, with a check that it uses the
stock_lot.name and aftersales_warranty.lot_id indexes. --btree-probe times both paths again
with a B-tree index on stock_lot.name added for the run (Odoo indexes the serial for
trigram search only). Everything is rolled back, then the touched tables are vacuumed
(FULL).
"""

import argparse
import json
import os
import random
import re
import statistics
import sys
import time
from contextlib import contextmanager
from datetime import date

import odoo_env
from odoo_env import open_registry

import odoo
from odoo import api
from odoo.tools import SQL

PREFIX = "WLB"  # serials are WLB000000001 ...: one prefix, sequential, as manufacturers do
GOAL_MS = 5.0
TOUCHED_TABLES = [
    "stock_lot",
    "aftersales_warranty",
    "aftersales_warranty_rule",
    "res_partner",
    "product_product",
    "product_template",
]
WARRANTY_INDEXES = ("aftersales_warranty__lot_id_index", "aftersales_warranty_one_active_per_lot")
BTREE_PROBE = "stock_lot_name_btree_probe"

LOT_INSERT = """
    INSERT INTO stock_lot (
        name, product_id, product_uom_id, company_id,
        create_date, write_date, create_uid, write_uid)
    SELECT %(prefix)s || lpad(g::text, 9, '0'),
           (%(products)s::int[])[1 + g %% cardinality(%(products)s::int[])],
           %(uom)s, %(company)s,
           %(today)s::date - (g::bigint * %(span)s / %(total)s)::int,
           %(today)s::date - (g::bigint * %(span)s / %(total)s)::int, 1, 1
      FROM generate_series(%(lo)s, %(hi)s) g
    RETURNING id
"""

# One registration per serial inserted above; g is read back from the serial. Started
# (delivered) g * 5 years / N days ago, 24 months (less a day) long; every 50th void.
WARRANTY_INSERT = """
    INSERT INTO aftersales_warranty (
        name, company_id, partner_id, commercial_partner_id, product_id, lot_id, rule_id,
        quantity, date_delivered, date_start, date_end_base, date_end, is_void, void_reason,
        create_date, write_date, create_uid, write_uid)
    SELECT 'WLB-W' || s.g, %(company)s, s.partner, s.partner, l.product_id, l.id, %(rule)s,
           1, s.start, s.start, s.stop, s.stop, s.g %% 50 = 0,
           CASE WHEN s.g %% 50 = 0 THEN 'Lookup benchmark: returned' END,
           s.start, s.start, 1, 1
      FROM stock_lot l
     CROSS JOIN LATERAL (
        SELECT substr(l.name, %(skip)s)::int AS g
     ) n
     CROSS JOIN LATERAL (
        SELECT n.g,
               (%(partners)s::int[])[1 + (n.g / 3) %% cardinality(%(partners)s::int[])]
                   AS partner,
               %(today)s::date - (n.g::bigint * %(span)s / %(total)s)::int AS start,
               (%(today)s::date - (n.g::bigint * %(span)s / %(total)s)::int
                + interval '24 months' - interval '1 day')::date AS stop
     ) s
     WHERE l.id BETWEEN %(lo)s AND %(hi)s AND l.name LIKE %(like)s
"""


def create_masters(env):
    """Products, customers and the warranty rule, through the ORM."""
    company = env.company
    products = env["product.product"].create(
        [
            {
                "name": f"Lookup bench appliance {i}",
                "is_storable": True,
                "tracking": "serial",
            }
            for i in range(10)
        ]
    )
    partners = env["res.partner"].create(
        [{"name": f"Lookup bench customer {i:03d}", "is_company": True} for i in range(500)]
    )
    rule = env["aftersales.warranty.rule"].create(
        {
            "name": "Lookup bench: 24 months from delivery",
            "applies_to": "all",
            "sequence": 1000,
            "duration": 24,
            "duration_unit": "month",
            "company_id": company.id,
        }
    )
    env.flush_all()
    return {
        "company": company.id,
        "products": products.ids,
        "uom": products[0].uom_id.id,
        "partners": partners.ids,
        "rule": rule.id,
    }


def insert_data(env, count, batch):
    """Insert ``count`` serials and their registrations with SQL."""
    cr = env.cr
    params = create_masters(env)
    params.update(
        prefix=PREFIX,
        like=f"{PREFIX}%",
        skip=len(PREFIX) + 1,
        today=date.today(),
        span=5 * 365,
        total=count,
    )
    inserted = 0
    for lo in range(1, count + 1, batch):
        cr.execute(LOT_INSERT, dict(params, lo=lo, hi=min(lo + batch - 1, count)))
        ids = [row[0] for row in cr.fetchall()]
        cr.execute(WARRANTY_INSERT, dict(params, lo=min(ids), hi=max(ids)))
        if cr.rowcount != len(ids):
            raise SystemExit(f"{len(ids)} serials but {cr.rowcount} registrations inserted")
        inserted += len(ids)
        print(f"  {inserted:,} / {count:,} registrations", file=sys.stderr, flush=True)
    # Production keeps the trigram index's pending list short (autovacuum); so does this.
    cr.execute(
        """
        SELECT gin_clean_pending_list(i.indexrelid)
          FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
         WHERE i.indrelid = 'stock_lot'::regclass AND a.amname = 'gin'
        """
    )
    for table in TOUCHED_TABLES:
        cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
    env.invalidate_all()
    return inserted


def serial(g):
    return f"{PREFIX}{g:09d}"


def warranty_by_serial(env, name):
    warranty = env["aftersales.warranty"].search(
        [("lot_id.name", "=", name), ("is_void", "=", False)], limit=1
    )
    return warranty, warranty.state, warranty.date_end


def ticket_side(env, name):
    lots = env["stock.lot"].search([("name", "=", name)])
    warranty = env["aftersales.warranty"].search(
        [("lot_id", "in", lots.ids), ("is_void", "=", False)], limit=1
    )
    return warranty, warranty.state, warranty.date_end


PATHS = [
    ("warranty by serial (lot_id.name =, not void, limit 1) + state, date_end", warranty_by_serial),
    ("ticket side: stock.lot by name, then warranty by lot_id + state, date_end", ticket_side),
]


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def time_path(env, lookup, *, total, count, rounds, rng):
    """Per-lookup times (s) and query counts of ``rounds`` x ``count`` random lookups after a
    warm-up round; each lookup starts from an empty ORM cache, as a new request would."""
    cr = env.cr
    times, queries = [], []
    for round_ in range(rounds + 1):
        for _i in range(count):
            g = rng.randint(1, total)
            env.invalidate_all()
            before = cr.sql_log_count
            start = time.perf_counter()
            warranty, state, date_end = lookup(env, serial(g))
            elapsed = time.perf_counter() - start
            check(warranty, state, date_end, g)
            if round_:  # the first round is the warm-up
                times.append(elapsed)
                queries.append(cr.sql_log_count - before)
    return times, queries


def check(warranty, state, date_end, g):
    if g % 50 == 0:
        if warranty:
            raise SystemExit(f"{serial(g)}: void registration found by a not-void lookup")
        return
    if len(warranty) != 1 or warranty.lot_id.name != serial(g):
        raise SystemExit(f"{serial(g)}: wrong registration {warranty}")
    if state not in ("active", "expiring", "expired") or not date_end:
        raise SystemExit(f"{serial(g)}: unexpected state {state} / end {date_end}")


@contextmanager
def capture_queries(cr):
    """Collect the SQL objects executed on ``cr`` that read serials or registrations."""
    captured = []
    execute = cr.execute

    def wrapper(query, params=None, log_exceptions=True):
        if isinstance(query, SQL) and (
            '"stock_lot"' in query.code or 'FROM "aftersales_warranty"' in query.code
        ):
            captured.append(query)
        return execute(query, params, log_exceptions)

    cr.execute = wrapper
    try:
        yield captured
    finally:
        del cr.execute


def explain(env, lookup, name):
    """EXPLAIN (ANALYZE, BUFFERS) of the SQL selecting serials and registrations in one lookup,
    whether the plans use an index of stock_lot.name and of aftersales_warranty.lot_id, and
    the indexes they scan with their access method."""
    cr = env.cr
    env.invalidate_all()
    with capture_queries(cr) as captured:
        lookup(env, name)
    text = []
    for query in captured:
        cr.execute(SQL("EXPLAIN (ANALYZE, BUFFERS) %s", query))
        plan = "\n".join(row[0] for row in cr.fetchall())
        text.append(f"{cr.mogrify(query).decode()}\n{plan}")
    plans = "\n".join(text)
    scanned = sorted(set(re.findall(r"Index (?:Only )?Scan (?:using|on) (\S+)", plans)))
    cr.execute(
        """
        SELECT c.relname, a.amname, t.relname
          FROM pg_class c JOIN pg_am a ON a.oid = c.relam
          JOIN pg_index i ON i.indexrelid = c.oid JOIN pg_class t ON t.oid = i.indrelid
         WHERE c.relname = ANY(%s)
        """,
        [scanned],
    )
    methods = {index: (method, table) for index, method, table in cr.fetchall()}
    uses = any(table == "stock_lot" for _m, table in methods.values()) and any(
        index in plans for index in WARRANTY_INDEXES
    )
    summary = ", ".join(f"{index} ({methods[index][0]})" for index in scanned if index in methods)
    return "\n\n".join(text), uses, summary


def vacuum(db):
    odoo_env.vacuum(db, TOUCHED_TABLES)


def lookup_user(env, login):
    user = env["res.users"].search([("login", "=", login)], limit=1)
    if user:
        return user
    print(f"no user {login}: the lookups run as the superuser", file=sys.stderr)
    return env.user


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default=os.environ.get("AFTERSALES_DB", "aftersales_demo"))
    parser.add_argument("--registrations", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--lookups", type=int, default=1000, help="random lookups per round")
    parser.add_argument("--batch", type=int, default=250_000, help="serials per INSERT")
    parser.add_argument("--user", default="as_rep", help="login the lookups run as")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--btree-probe",
        action="store_true",
        help="time both paths again with a B-tree index on stock_lot.name (rolled back)",
    )
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    parser.add_argument("--no-vacuum", action="store_true", help="skip the final VACUUM")
    args = parser.parse_args()
    registry = open_registry(args.db)
    rng = random.Random(args.seed)
    results, plans = [], []
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        start = time.perf_counter()
        inserted = insert_data(env, args.registrations, args.batch)
        setup = time.perf_counter() - start
        user = lookup_user(env, args.user)
        login = user.login
        # The context a web client sends: language, time zone, allowed companies.
        context = dict(user.context_get(), allowed_company_ids=[user.company_id.id])
        env = env(user=user.id, su=False, context=context)
        variants = [""]
        if args.btree_probe:
            variants.append(" [+ B-tree index on stock_lot.name]")
        for variant in variants:
            if variant:
                # What an equality index on the serial would give; rolled back with the rest.
                cr.execute(f"CREATE INDEX {BTREE_PROBE} ON stock_lot (name)")
                cr.execute("ANALYZE stock_lot")
            for label, lookup in PATHS:
                times, queries = time_path(
                    env, lookup, total=inserted, count=args.lookups, rounds=args.rounds, rng=rng
                )
                results.append((label + variant, times, queries))
                name = serial(rng.randint(1, inserted))
                plans.append((label + variant, *explain(env, lookup, name)))
        cr.rollback()  # leave the database as it was
    if not args.no_vacuum:
        vacuum(args.db)
    print_report(args, setup, inserted, login, results, plans)


def print_report(args, setup, inserted, login, results, plans):  # noqa: PLR0917
    samples = args.rounds * args.lookups
    print(f"{inserted:,} serials and warranty registrations inserted in {setup:.0f} s")
    print(f"load average (1 min) after the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"lookups as {login}, {samples:,} random serials per path after a warm-up")
    print("| lookup | median | p95 | max | queries | goal < 5 ms |")
    print("|---|---|---|---|---|---|")
    rows = []
    for label, times, queries in results:
        median, p95 = statistics.median(times), percentile(times, 0.95)
        query_count = int(statistics.median(queries))
        verdict = "met" if p95 * 1000 < GOAL_MS else "missed"
        print(
            f"| {label} | {median * 1000:.2f} ms | {p95 * 1000:.2f} ms | "
            f"{max(times) * 1000:.1f} ms | {query_count} | {verdict} |"
        )
        rows.append(
            {
                "operation": f"{label}, median per lookup at {inserted:,} registrations",
                "ours_s": round(median, 6),
                "reference_s": None,
                "ratio": None,
                "queries_ours": query_count,
                "queries_reference": None,
                "note": f"p95 {p95 * 1000:.2f} ms over {samples} lookups as {login}; "
                f"goal p95 < {GOAL_MS:g} ms {verdict}",
            }
        )
    for label, text, uses, summary in plans:
        verdict = "indexed" if uses else "NOT indexed on stock_lot.name and warranty lot_id"
        print()
        print(f"EXPLAIN of one lookup, {label}: {verdict}; index scans: {summary}")
        print("```")
        print(text)
        print("```")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as file:
            json.dump(rows, file, indent=2)


if __name__ == "__main__":
    main()
