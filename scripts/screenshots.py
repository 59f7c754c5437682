#!/usr/bin/env python3
"""Open After-Sales screens as each demo role in headless Chromium and save PNGs.

Usage: screenshots.py [--url http://127.0.0.1:8069] [--db aftersales_demo] [--out docs/screenshots]
                      [--only NAME ...] [--phone]
--phone takes the screens at 390x844 as a phone (files NAME_phone.png), else 1440x900.
A server must be running (scripts/setup.sh). Exits non-zero when a page shows an
Odoo error dialog or throws a JavaScript error, so it doubles as a smoke check.
"""

import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

import requests
import websocket

ACTION = "action-aftersales_service.action_aftersales_ticket"
VISITS = "/odoo/action-aftersales_service.action_aftersales_visit"
WAIVERS = "action-aftersales_service.action_aftersales_fee_waiver"
SLA = "/odoo/action-aftersales_service.action_aftersales"
# (file name, login, path, what to wait for)
SHOTS = [
    ("ticket_kanban_rep", "as_rep", f"/odoo/{ACTION}", ".o_kanban_renderer"),
    ("ticket_list_rep", "as_rep", f"/odoo/{ACTION}?view_type=list", ".o_list_renderer"),
    ("ticket_form_rep", "as_rep", f"/odoo/{ACTION}/{{ticket_new}}", ".o_form_view"),
    ("ticket_form_tech", "as_tech", f"/odoo/{ACTION}/{{ticket_assigned}}", ".o_form_view"),
    (
        "ticket_form_resolved_manager",
        "as_manager",
        f"/odoo/{ACTION}/{{ticket_resolved}}",
        ".o_form_view",
    ),
    (
        "ticket_my_tech",
        "as_tech",
        "/odoo/action-aftersales_service.action_aftersales_ticket_my",
        ".o_kanban_renderer",
    ),
    ("ticket_calendar_rep", "as_rep", f"/odoo/{ACTION}?view_type=calendar", ".o_calendar_renderer"),
    (
        "ticket_pivot_analyst",
        "as_analyst",
        "/odoo/action-aftersales_service.action_aftersales_ticket_analysis",
        ".o_pivot",
    ),
    (
        "ticket_graph_analyst",
        "as_analyst",
        "/odoo/action-aftersales_service.action_aftersales_ticket_analysis?view_type=graph",
        ".o_graph_renderer",
    ),
    ("ticket_form_analyst", "as_analyst", f"/odoo/{ACTION}/{{ticket_resolved}}", ".o_form_view"),
    ("ticket_activity_rep", "as_rep", f"/odoo/{ACTION}?view_type=activity", ".o_activity_view"),
    (
        "team_list_manager",
        "as_manager",
        "/odoo/action-aftersales_service.action_aftersales_team",
        ".o_list_renderer",
    ),
    (
        "team_form_manager",
        "as_manager",
        "/odoo/action-aftersales_service.action_aftersales_team/{team}",
        ".o_form_view",
    ),
    (
        "category_list_manager",
        "as_manager",
        "/odoo/action-aftersales_service.action_aftersales_category",
        ".o_list_renderer",
    ),
    (
        "tag_list_manager",
        "as_manager",
        "/odoo/action-aftersales_service.action_aftersales_tag",
        ".o_list_renderer",
    ),
    (
        "settings_admin",
        "admin",
        "/odoo/action-aftersales_service.action_aftersales_config_settings",
        ".o_setting_container",
    ),
    (
        "partner_form_rep",
        "as_rep",
        "/odoo/action-base.action_partner_form/{partner}",
        ".o_form_view",
    ),
    (
        "lot_form_manager",
        "admin",
        "/odoo/action-stock.action_production_lot_form/{lot}",
        ".o_form_view",
    ),
    (
        "warranty_list_rep",
        "as_rep",
        "/odoo/action-aftersales_service.action_aftersales_warranty",
        ".o_list_renderer",
    ),
    (
        "warranty_form_rep",
        "as_rep",
        "/odoo/action-aftersales_service.action_aftersales_warranty/{warranty}",
        ".o_form_view",
    ),
    (
        "warranty_form_tech",
        "as_tech",
        "/odoo/action-aftersales_service.action_aftersales_warranty/{warranty_pending}",
        ".o_form_view",
    ),
    (
        "warranty_rule_list_manager",
        "as_manager",
        "/odoo/action-aftersales_service.action_aftersales_warranty_rule",
        ".o_list_renderer",
    ),
    (
        "warranty_rule_form_manager",
        "as_manager",
        "/odoo/action-aftersales_service.action_aftersales_warranty_rule/{rule}",
        ".o_form_view",
    ),
    ("ticket_form_out_of_warranty", "as_rep", f"/odoo/{ACTION}/{{ticket_out}}", ".o_form_view"),
    (
        "product_form_admin",
        "admin",
        "/odoo/action-product.product_template_action/{product_tmpl}",
        ".o_form_view",
    ),
    (
        "sale_order_extension_admin",
        "admin",
        "/odoo/action-sale.action_orders/{order_extension}",
        ".o_form_view",
    ),
    ("visit_calendar_rep", "as_rep", VISITS, ".o_calendar_renderer"),
    ("visit_dispatch_board_rep", "as_rep", f"{VISITS}_dispatch", ".o_list_renderer"),
    (
        "visit_my_today_tech",
        "as_tech",
        f"{VISITS}_my_today",
        ".o_list_renderer, .o_kanban_renderer",
    ),
    ("visit_kanban_tech", "as_tech", f"{VISITS}?view_type=kanban", ".o_kanban_renderer"),
    ("ticket_kanban_tech", "as_tech", f"/odoo/{ACTION}", ".o_kanban_renderer"),
    ("visit_form_done_tech", "as_tech", f"{VISITS}/{{visit_done}}", ".o_form_view"),
    ("visit_form_planned_tech", "as_tech", f"{VISITS}/{{visit_planned}}", ".o_form_view"),
    ("ticket_form_with_visit_rep", "as_rep", f"/odoo/{ACTION}/{{ticket_visited}}", ".o_form_view"),
    ("fee_waiver_list_manager", "as_manager", f"/odoo/{WAIVERS}", ".o_list_renderer"),
    ("sla_policy_list_manager", "as_manager", f"{SLA}_sla_policy", ".o_list_renderer"),
    ("sla_policy_form_manager", "as_manager", f"{SLA}_sla_policy/{{sla_policy}}", ".o_form_view"),
    ("zone_list_manager", "as_manager", f"{SLA}_zone", ".o_list_renderer"),
    ("penalty_rule_list_manager", "as_manager", f"{SLA}_penalty_rule", ".o_list_renderer"),
    ("penalty_list_manager", "as_manager", f"{SLA}_penalty", ".o_list_renderer"),
    ("ticket_list_sla_rep", "as_rep", f"/odoo/{ACTION}?view_type=list", ".o_list_renderer"),
    (
        "employee_form_admin",
        "admin",
        "/odoo/action-hr.open_view_employee_list_my/{employee}",
        ".o_form_view",
    ),
    ("visit_list_analyst", "as_analyst", f"{VISITS}?view_type=list", ".o_list_renderer"),
    ("warranty_list_analyst", "as_analyst", f"{SLA}_warranty", ".o_list_renderer"),
    ("penalty_pivot_analyst", "as_analyst", f"{SLA}_penalty?view_type=pivot", ".o_pivot"),
    ("fee_waiver_list_analyst", "as_analyst", f"/odoo/{WAIVERS}", ".o_list_renderer"),
    ("penalty_list_tech", "as_tech", f"{SLA}_penalty", ".o_list_renderer"),
    ("ticket_form_rep_new", "as_rep", f"/odoo/{ACTION}/new", ".o_form_view"),
    ("portal_home_customer", "as_customer", "/my", ".o_portal_my_home"),
    ("portal_tickets_customer", "as_customer", "/my/aftersales", ".o_portal_my_doc_table"),
    (
        "portal_ticket_customer",
        "as_customer",
        "/my/aftersales/{ticket_new}",
        "#discussion, .o_portal_chatter, .card",
    ),
    ("portal_warranties_customer", "as_customer", "/my/warranties", ".o_portal_my_doc_table"),
    ("overview_manager", "as_manager", f"{SLA}_dashboard", ".o_kanban_renderer"),
    ("kpi_pivot_analyst", "as_analyst", f"{SLA}_kpi_report", ".o_pivot"),
    ("kpi_graph_manager", "as_manager", f"{SLA}_kpi_report?view_type=graph", ".o_graph_renderer"),
    ("kpi_list_analyst", "as_analyst", f"{SLA}_kpi_report?view_type=list", ".o_list_renderer"),
    ("my_scorecard_tech", "as_tech", f"{SLA}_kpi_report_my", ".o_pivot"),
    ("evaluation_list_manager", "as_manager", f"{SLA}_evaluation", ".o_list_renderer"),
    ("evaluation_form_manager", "as_manager", f"{SLA}_evaluation/{{evaluation}}", ".o_form_view"),
    ("evaluation_my_tech", "as_tech", f"{SLA}_evaluation_my", ".o_list_renderer"),
    ("quality_graph_analyst", "as_analyst", f"{SLA}_quality_report", ".o_graph_renderer"),
    ("quality_pivot_manager", "as_manager", f"{SLA}_quality_report?view_type=pivot", ".o_pivot"),
    ("contract_list_rep", "as_rep", f"{SLA}_contract", ".o_list_renderer"),
    ("contract_form_rep", "as_rep", f"{SLA}_contract/{{contract}}", ".o_form_view"),
    ("fund_list_manager", "as_manager", f"{SLA}_fund_move", ".o_list_renderer"),
    ("portal_request_customer", "as_customer", "/my/aftersales/new", ".o_aftersales_request_form"),
    ("part_request_list_tech", "as_tech", f"{SLA}_part_request", ".o_list_renderer"),
    ("part_request_form_rep", "as_rep", f"{SLA}_part_request/{{part_request}}", ".o_form_view"),
    (
        "part_request_pending_form_rep",
        "as_rep",
        f"{SLA}_part_request/{{part_request_pending}}",
        ".o_form_view",
    ),
    ("defective_return_list_rep", "as_rep", f"{SLA}_defective_return", ".o_list_renderer"),
    (
        "defective_return_form_tech",
        "as_tech",
        f"{SLA}_defective_return/{{defective_return}}",
        ".o_form_view",
    ),
    (
        "supplier_claim_form_manager",
        "as_manager",
        f"{SLA}_supplier_claim/{{supplier_claim}}",
        ".o_form_view",
    ),
    ("supplier_quality_pivot_analyst", "as_analyst", f"{SLA}_supplier_quality", ".o_pivot"),
    ("cost_pivot_analyst", "as_analyst", f"{SLA}_cost_report", ".o_pivot"),
    ("warranty_cost_pivot_manager", "as_manager", f"{SLA}_warranty_cost_report", ".o_pivot"),
    ("visit_form_expenses_tech", "as_tech", f"{VISITS}/{{visit_done}}", ".o_form_view"),
    ("ticket_form_costs_rep", "as_rep", f"/odoo/{ACTION}/{{ticket_resolved}}", ".o_form_view"),
    (
        "portal_ticket_resolved_customer",
        "as_customer",
        "/my/aftersales/{ticket_portal_resolved}",
        ".o_aftersales_customer_answer",
    ),
    ("complaint_list_rep", "as_rep", f"{SLA}_complaint", ".o_list_renderer"),
    ("complaint_kanban_rep", "as_rep", f"{SLA}_complaint?view_type=kanban", ".o_kanban_renderer"),
    ("complaint_form_group_rep", "as_rep", f"{SLA}_complaint/{{complaint_group}}", ".o_form_view"),
    (
        "complaint_form_manager",
        "as_manager",
        f"{SLA}_complaint/{{complaint_behaviour}}",
        ".o_form_view",
    ),
    ("complaint_form_tech", "as_tech", f"{SLA}_complaint/{{complaint_behaviour}}", ".o_form_view"),
    ("complaint_list_tech", "as_tech", f"{SLA}_complaint", ".o_list_renderer"),
    (
        "complaint_form_analyst",
        "as_analyst",
        f"{SLA}_complaint/{{complaint_unfounded}}",
        ".o_form_view",
    ),
    ("complaint_report_analyst", "as_analyst", f"{SLA}_complaint_report", ".o_pivot"),
    ("portal_complaints_customer", "as_customer", "/my/complaints", ".o_portal_my_doc_table"),
    (
        "portal_complaint_customer",
        "as_customer",
        "/my/complaints/{complaint_portal}",
        ".o_aftersales_complaint_state",
    ),
    (
        "portal_complaint_new_customer",
        "as_customer",
        "/my/complaints/new?ticket_id={ticket_complained}",
        ".o_aftersales_complaint_form",
    ),
    ("repair_ledger_pivot_rep", "as_rep", f"{SLA}_repair_ledger", ".o_pivot"),
    (
        "repair_ledger_list_analyst",
        "as_analyst",
        f"{SLA}_repair_ledger?view_type=list",
        ".o_list_renderer",
    ),
    ("parts_ledger_pivot_analyst", "as_analyst", f"{SLA}_parts_ledger", ".o_pivot"),
    ("parts_ledger_list_rep", "as_rep", f"{SLA}_parts_ledger?view_type=list", ".o_list_renderer"),
    ("faults_by_batch_manager", "as_manager", f"{SLA}_faults_by_batch", ".o_pivot"),
    ("ledger_print_wizard_rep", "as_rep", f"{SLA}_ledger_print", ".o_form_view"),
    ("budget_list_manager", "as_manager", f"{SLA}_budget?view_type=list", ".o_list_renderer"),
    ("budget_form_manager", "as_manager", f"{SLA}_budget/{{budget}}", ".o_form_view"),
    ("budget_vs_actual_analyst", "as_analyst", f"{SLA}_budget_report", ".o_view_controller"),
]
PASSWORDS = {"admin": "admin"}
# PDF reports printed as a user and turned into a PNG of their first page (pdftoppm).
REPORTS = [
    ("report_visit_pdf", "as_rep", "aftersales_service.report_visit", "{visit_done}"),
    (
        "report_warranty_pdf",
        "as_rep",
        "aftersales_service.report_warranty_certificate",
        "{warranty}",
    ),
    ("report_evaluation_pdf", "as_manager", "aftersales_service.report_evaluation", "{evaluation}"),
    ("report_quality_monthly_pdf", "as_analyst", "aftersales_service.report_quality_monthly", "1"),
    ("ledger_monthly_pdf", "as_rep", "aftersales_service.report_ledger_monthly", "1"),
    (
        "budget_settlement_pdf",
        "as_manager",
        "aftersales_service.report_budget_settlement",
        "{budget}",
    ),
]


def rpc(session, url, model, method, *args, **kwargs):
    response = session.post(
        f"{url}/web/dataset/call_kw",
        json={
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs},
        },
        timeout=60,
    )
    result = response.json()
    if "error" in result:
        raise RuntimeError(result["error"])
    return result["result"]


def login(url, db, user):
    session = requests.Session()
    response = session.post(
        f"{url}/web/session/authenticate",
        json={
            "jsonrpc": "2.0",
            "params": {"db": db, "login": user, "password": PASSWORDS.get(user, user)},
        },
        timeout=60,
    )
    if response.json().get("error") or not session.cookies.get("session_id"):
        raise SystemExit(f"Cannot log in as {user}: {response.text[:300]}")
    return session


def record_ids(url, db):
    session = login(url, db, "admin")

    def xmlid(name):
        module, ref = name.split(".")
        found = rpc(
            session,
            url,
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", ref)],
            ["res_id"],
        )
        return found[0]["res_id"]

    return {
        "complaint_behaviour": xmlid("aftersales_service.complaint_demo_behaviour"),
        "complaint_unfounded": xmlid("aftersales_service.complaint_demo_unfounded"),
        "complaint_group": xmlid("aftersales_service.complaint_demo_group"),
        "complaint_portal": xmlid("aftersales_service.complaint_demo_portal"),
        "ticket_complained": xmlid("aftersales_service.ticket_t05"),
        "ticket_new": xmlid("aftersales_service.ticket_t01"),
        "budget": xmlid("aftersales_service.budget_east_month"),
        "ticket_portal_resolved": xmlid("aftersales_service.ticket_t13"),
        "evaluation": xmlid("aftersales_service.evaluation_zhang_min"),
        "contract": xmlid("aftersales_service.contract_huaxin"),
        "ticket_assigned": xmlid("aftersales_service.ticket_t04"),
        "ticket_resolved": xmlid("aftersales_service.ticket_t11"),
        "team": xmlid("aftersales_service.team_east"),
        "partner": xmlid("aftersales_service.partner_huaxin"),
        "lot": xmlid("aftersales_service.lot_ac300_0001"),
        "ticket_out": xmlid("aftersales_service.ticket_t04"),
        "ticket_visited": xmlid("aftersales_service.ticket_t11"),
        "sla_policy": xmlid("aftersales_service.sla_policy_standard"),
        "employee": xmlid("aftersales_service.employee_li_wei"),
        "visit_done": xmlid("aftersales_service.visit_t11"),
        "visit_planned": xmlid("aftersales_service.visit_t06"),
        "part_request": xmlid("aftersales_service.part_request_li_wei_t06"),
        "part_request_pending": xmlid("aftersales_service.part_request_li_wei_restock"),
        "defective_return": xmlid("aftersales_service.defective_return_switch_t06"),
        "supplier_claim": rpc(session, url, "aftersales.supplier.claim", "search", [])[0],
        "rule": xmlid("aftersales_service.warranty_rule_compressor"),
        "order_extension": xmlid("aftersales_service.sale_order_huaxin_extension"),
        "product_tmpl": rpc(
            session,
            url,
            "product.product",
            "read",
            [xmlid("aftersales_service.product_compressor")],
            ["product_tmpl_id"],
        )[0]["product_tmpl_id"][0],
        "warranty": rpc(
            session,
            url,
            "aftersales.warranty",
            "search",
            [("lot_id", "=", xmlid("aftersales_service.lot_ac300_0001"))],
        )[0],
        "warranty_pending": rpc(
            session,
            url,
            "aftersales.warranty",
            "search",
            [("lot_id", "=", xmlid("aftersales_service.lot_wc50_0004"))],
        )[0],
    }


class Browser:
    def __init__(self, width=1440, height=900, mobile=False):
        self.profile = tempfile.mkdtemp(prefix="as-chromium-")
        port = 9333
        self.proc = subprocess.Popen(
            [
                shutil.which("chromium") or "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={self.profile}",
                f"--remote-debugging-port={port}",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _attempt in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=2) as r:
                    pages = [p for p in json.load(r) if p["type"] == "page"]
                if pages:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            raise SystemExit("Chromium did not start")
        self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=60)
        self.next_id = 0
        self.errors = []
        self.call("Page.enable")
        self.call("Runtime.enable")
        self.call("Network.enable")
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=mobile,
        )
        if mobile:
            self.call("Emulation.setTouchEmulationEnabled", enabled=True)

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("method") == "Runtime.exceptionThrown":
                self.errors.append(message["params"]["exceptionDetails"].get("text", "exception"))
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(message["error"])
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def close(self):
        self.ws.close()
        self.proc.terminate()
        self.proc.wait(10)
        shutil.rmtree(self.profile, ignore_errors=True)


def print_report(args, ids, shot):
    """Download a QWeb PDF as the shot's user and save its first page as a PNG.

    Returns the problem, or None."""
    name, user, report, record = shot
    session = login(args.url, args.db, user)
    response = session.get(f"{args.url}/report/pdf/{report}/{record.format(**ids)}", timeout=300)
    if response.status_code != 200 or not response.content.startswith(b"%PDF"):
        return f"HTTP {response.status_code}, not a PDF"
    pdf = os.path.join(args.out, f"{name}.pdf")
    with open(pdf, "wb") as handle:
        handle.write(response.content)
    result = subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-singlefile", pdf, os.path.join(args.out, name)],
        capture_output=True,
        check=False,
    )
    os.remove(pdf)
    return result.stderr.decode().strip() if result.returncode else None


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", default=os.environ.get("AFTERSALES_DB", "aftersales_demo"))
    parser.add_argument("--out", default="/tmp/aftersales-screenshots")
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--phone", action="store_true", help="390x844, as a phone")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    ids = record_ids(args.url, args.db)
    browser = Browser(390, 844, mobile=True) if args.phone else Browser()
    suffix = "_phone" if args.phone else ""
    failures = []
    try:
        for name, user, path, selector in SHOTS:
            if args.only and name not in args.only:
                continue
            session = login(args.url, args.db, user)
            browser.call("Network.clearBrowserCookies")
            browser.call(
                "Network.setCookie",
                name="session_id",
                value=session.cookies["session_id"],
                url=args.url,
            )
            browser.errors.clear()
            browser.call("Page.navigate", url=args.url + path.format(**ids))
            state = None
            for _attempt in range(150):
                time.sleep(0.2)
                state = browser.evaluate(
                    "document.querySelector('.o_error_dialog') ? 'error'"
                    f" : (document.querySelector('{selector}')"
                    " && !document.querySelector('.o_loading_indicator') ? 'ready' : 'wait')"
                )
                if state != "wait":
                    break
            time.sleep(1.0)
            shot = browser.call("Page.captureScreenshot", format="png")
            file = os.path.join(args.out, f"{name}{suffix}.png")
            with open(file, "wb") as handle:
                handle.write(base64.b64decode(shot["data"]))
            problem = None
            if state != "ready":
                problem = "error dialog" if state == "error" else f"{selector} never appeared"
            elif browser.errors:
                problem = "; ".join(browser.errors)
            print(
                f"{'FAIL' if problem else 'ok  '} {user:<10} {name:<30} {file}"
                + (f"  {problem}" if problem else "")
            )
            if problem:
                failures.append(name)
    finally:
        browser.close()
    for shot in REPORTS:
        name, user = shot[:2]
        if args.phone or (args.only and name not in args.only):
            continue
        problem = print_report(args, ids, shot)
        print(f"{'FAIL' if problem else 'ok  '} {user:<10} {name:<30} {problem or ''}")
        if problem:
            failures.append(name)
    if failures:
        print(f"{len(failures)} screen(s) failed: {', '.join(failures)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
