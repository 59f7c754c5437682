#!/usr/bin/env python3
"""Run the whole benchmark suite and print one markdown table.

Usage (from the repository root; PostgreSQL running, Odoo at ODOO_SRC):
    .venv/bin/python benchmarks/run_all.py [--quick] [--out results.md] [--keep-db]
The suite drops and recreates its databases (aftersales_bench: our add-on and OCA's
helpdesk_mgmt + helpdesk_mgmt_sla side by side without demo data, installed from their
PyPI wheels into a benchmark-only directory; aftersales_concurrency for the server load
test), runs each benchmark one after the other (never in parallel: they share the machine)
and collects their rows: operation, our time, the reference's time, the ratio, queries.
--quick runs smaller sizes (a few minutes instead of about half an hour).
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCH_DB = "aftersales_bench"


def steps(quick, oca_dir):
    """(name, script and arguments); the first one creates BENCH_DB."""
    return [
        (
            "ticket creation and SLA cron vs OCA helpdesk",
            ["helpdesk_comparison.py", "--db", BENCH_DB, "--oca-dir", oca_dir]
            + (["--tickets", "200", "--open", "20000"] if quick else []),
        ),
        (
            "warranty registration on delivery",
            ["warranty_delivery.py", "--db", BENCH_DB] + (["--serials", "100"] if quick else []),
        ),
        (
            "KPI report and evaluations",
            ["kpi_report.py", "--db", BENCH_DB] + (["--tickets", "100000"] if quick else []),
        ),
        (
            "ticket costs and parts requests",
            ["cost_report.py", "--db", BENCH_DB] + (["--tickets", "100000"] if quick else []),
        ),
        (
            "warranty lookup by serial",
            ["warranty_lookup.py", "--db", BENCH_DB, "--user", "admin"]
            + (["--registrations", "100000"] if quick else []),
        ),
        (
            "concurrency over XML-RPC",
            ["concurrency.py", "--db", "aftersales_concurrency"]
            + (["--clients", "8", "--seconds", "15"] if quick else []),
        ),
    ]


def seconds(value):
    if value is None:
        return ""
    return f"{value * 1000:.2f} ms" if value < 0.1 else f"{value:.2f} s"


def table(rows):
    lines = [
        "| operation | ours | reference | ratio | queries ours / reference | note |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        queries = " / ".join(
            f"{row[key]:,}" if isinstance(row.get(key), int) else "-"
            for key in ("queries_ours", "queries_reference")
        )
        ratio = f"{row['ratio']:.2f}" if row.get("ratio") is not None else ""
        lines.append(
            f"| {row['operation']} | {seconds(row.get('ours_s'))} | "
            f"{seconds(row.get('reference_s'))} | {ratio} | {queries} | {row.get('note', '')} |"
        )
    return "\n".join(lines)


def machine():
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    postgres = subprocess.run(
        ["psql", "-d", "postgres", "-Atc", "SHOW server_version"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return (
        f"{os.cpu_count()} cores ({cpu}), PostgreSQL {postgres}, Python {platform.python_version()}"
    )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="smaller sizes")
    parser.add_argument("--out", help="also write the table to this markdown file")
    parser.add_argument("--keep-db", action="store_true", help="keep the databases at the end")
    parser.add_argument("--oca-dir", default="/opt/aftersales-bench-addons")
    args = parser.parse_args()
    for db in (BENCH_DB, "aftersales_concurrency"):
        subprocess.run(["dropdb", "--if-exists", db], check=True)
    # The reference modules live outside the repository; every script must see them.
    os.environ["AFTERSALES_EXTRA_ADDONS"] = f"{args.oca_dir}/odoo/addons"
    rows, failures = [], []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for index, (name, command) in enumerate(steps(args.quick, args.oca_dir)):
            out = Path(tmp) / f"{index}.json"
            print(f"== {name}: {' '.join(command)}", file=sys.stderr, flush=True)
            begin = time.perf_counter()
            result = subprocess.run(
                [sys.executable, str(HERE / command[0]), *command[1:], "--json", str(out)],
                cwd=HERE.parent,
                check=False,
            )
            took = time.perf_counter() - begin
            print(f"== {name}: exit {result.returncode} in {took:.0f} s", file=sys.stderr)
            if result.returncode or not out.exists():
                failures.append(name)
                continue
            rows.extend(json.loads(out.read_text()))
    if not args.keep_db:
        for db in (BENCH_DB, "aftersales_concurrency"):
            subprocess.run(["dropdb", "--if-exists", db], check=False)
    report = (
        f"Benchmarks{' (quick)' if args.quick else ''}, "
        f"{time.strftime('%Y-%m-%d')}, {machine()}, "
        f"{time.perf_counter() - started:.0f} s in all.\n\n{table(rows)}\n"
    )
    print(report)
    if args.out:
        Path(args.out).write_text(report, encoding="utf-8")
    if failures:
        print(f"FAILED: {', '.join(failures)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
