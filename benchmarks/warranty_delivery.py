#!/usr/bin/env python3
"""Time the validation of a 500-serial customer delivery, with and without warranty
registration, in the same run on the same database (everything is rolled back).

Usage (from the repository root, a database with aftersales_service installed):
    .venv/bin/python benchmarks/warranty_delivery.py --db aftersales_demo
        [--serials 500] [--rounds 3] [--json rows.json]
ODOO_SRC (default /opt/odoo-src) locates Odoo.
"""

import argparse
import json
import os
import statistics
import time

from odoo_env import open_registry

import odoo
from odoo import Command, api


def prepare_delivery(env, serials, tag):
    """A sold, reserved delivery of ``serials`` units, each with its own serial."""
    product = env["product.product"].create(
        {"name": f"Bench compressor {tag}", "is_storable": True, "tracking": "serial"}
    )
    env["aftersales.warranty.rule"].create(
        {
            "name": f"Bench rule {tag}",
            "applies_to": "product",
            "product_tmpl_id": product.product_tmpl_id.id,
            "duration": 24,
        }
    )
    stock = (
        env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1).lot_stock_id
    )
    lots = env["stock.lot"].create(
        [{"name": f"BENCH-{tag}-{i:05d}", "product_id": product.id} for i in range(serials)]
    )
    for lot in lots:
        env["stock.quant"]._update_available_quantity(product, stock, 1, lot_id=lot)
    customer = env["res.partner"].create({"name": f"Bench customer {tag}"})
    order = env["sale.order"].create(
        {
            "partner_id": customer.id,
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": serials})],
        }
    )
    order.action_confirm()
    picking = order.picking_ids
    picking.move_ids.picked = True
    env.flush_all()
    env.invalidate_all()
    return picking


def measure(env, serials, register, tag):
    picking = prepare_delivery(env, serials, tag)
    context = {} if register else {"aftersales_no_warranty_registration": True}
    cr = env.cr
    queries = cr.sql_log_count
    start = time.perf_counter()
    picking.with_context(**context).button_validate()
    env.flush_all()
    elapsed = time.perf_counter() - start
    queries = cr.sql_log_count - queries
    registered = env["aftersales.warranty"].search_count([("picking_id", "=", picking.id)])
    expected = serials if register else 0
    if registered != expected:
        raise SystemExit(f"expected {expected} registrations, found {registered}")
    return elapsed, queries


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default=os.environ.get("AFTERSALES_DB", "aftersales_demo"))
    parser.add_argument("--serials", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", help="also write the result rows to this file")
    args = parser.parse_args()
    registry = open_registry(args.db)
    results = {True: [], False: []}
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        for round_ in range(args.rounds):
            # Alternate the order so neither variant always runs on a warm cache.
            for register in (round_ % 2 == 0, round_ % 2 != 0):
                tag = f"{round_}{'w' if register else 'n'}"
                results[register].append(measure(env, args.serials, register, tag))
                env.invalidate_all()
        cr.rollback()  # leave the database as it was

    def median(register, index):
        return statistics.median(r[index] for r in results[register])

    with_time, without_time = median(True, 0), median(False, 0)
    print(
        f"| {args.serials}-serial delivery validation | time (median of {args.rounds}) | queries |"
    )
    print("|---|---|---|")
    print(f"| with warranty registration | {with_time:.2f} s | {int(median(True, 1))} |")
    print(f"| without registration | {without_time:.2f} s | {int(median(False, 1))} |")
    print(f"| ratio | {with_time / without_time:.2f} | |")
    if args.json:
        row = {
            "operation": f"validate a {args.serials}-serial delivery (reference: Odoo stock "
            "without warranty registration)",
            "ours_s": round(with_time, 3),
            "reference_s": round(without_time, 3),
            "ratio": round(with_time / without_time, 2),
            "queries_ours": int(median(True, 1)),
            "queries_reference": int(median(False, 1)),
            "note": "goal: ratio <= 1.5",
        }
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump([row], handle, indent=1)


if __name__ == "__main__":
    main()
