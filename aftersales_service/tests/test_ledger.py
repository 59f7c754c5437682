import json
from datetime import date, timedelta
from urllib.parse import quote

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import AftersalesCommon
from .test_parts import PartsCommon

MAY = (date(2026, 5, 1), date(2026, 5, 31))


class LedgerCommon(PartsCommon):
    """May 2026: two repairs of the compressor unit EX-1 (batch B-2601, the second a repeat
    repair) with two contactors issued on site and brought back broken, one of the
    compressor TC-0001 (no batch); June: one of the chiller TCH-0001 (batch B-2602)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.unit.aftersales_production_batch = "B-2601"
        cls.other_lot.aftersales_production_batch = "B-2602"

    def _resolve(self, ticket, moment, cause="Worn contactor"):
        with self._at(moment):
            ticket.with_user(self.tech_user).write(
                {"resolution_cause": cause, "resolution_note": "<p>Replaced it.</p>"}
            )
            ticket.with_user(self.tech_user).action_resolve()
        return ticket

    def _accepted(self, moment, **vals):
        with self._at(moment):
            ticket = self._ticket(**vals)
            ticket.with_user(self.rep_user).action_assign(self.tech)
            ticket.with_user(self.tech_user).action_accept()
        return ticket

    def _repairs(self):
        """The four tickets of the docstring, the first with its parts used and returned."""
        first = self._accepted("2026-05-04 07:00:00", lot_id=self.unit.id)
        visit = self._visit(first)
        visit.with_user(self.tech_user).write(
            {"part_ids": [Command.create({"product_id": self.part.id, "quantity": 2})]}
        )
        with self._at("2026-05-04 09:00:00"):
            visit.with_user(self.tech_user).action_check_in()
        with self._at("2026-05-04 11:00:00"):
            visit.with_user(self.tech_user).action_check_out()
        self._resolve(first, "2026-05-04 12:00:00")
        returned = self.env["aftersales.defective.return"].search([("ticket_id", "=", first.id)])
        with self._at("2026-05-06 10:00:00"):
            returned.with_user(self.rep_user).action_receive()

        repeat = self._accepted("2026-05-10 08:00:00", lot_id=self.unit.id)
        self._resolve(repeat, "2026-05-12 15:00:00", cause="Worn  contactor ")
        no_batch = self._resolve(
            self._accepted("2026-05-20 08:00:00"), "2026-05-20 16:00:00", cause="Loose wire"
        )
        chiller = self._accepted(
            "2026-06-01 08:00:00", product_id=self.other_product.id, lot_id=self.other_lot.id
        )
        self._resolve(chiller, "2026-06-02 10:00:00", cause="Cracked housing")
        # Not resolved: not in the ledger.
        self._accepted("2026-05-21 08:00:00")
        self.env.flush_all()  # the ledgers are SQL views over the tickets and moves
        return first, repeat, no_batch, chiller, returned


@tagged("post_install", "-at_install")
class TestLedgers(LedgerCommon):
    def test_repair_ledger_rows_and_repairs_per_product_per_month(self):
        first, repeat, no_batch, chiller, _returned = self._repairs()
        tickets = first | repeat | no_batch | chiller
        Ledger = self.env["aftersales.repair.ledger"].with_user(self.analyst_user)
        domain = [
            ("company_id", "=", self.company.id),
            ("product_id", "in", tickets.product_id.ids),
        ]
        rows = Ledger.search(domain)
        self.assertEqual(rows.ticket_id, tickets, "resolved ones only, once each")

        row = Ledger.search([("ticket_id", "=", first.id)])
        self.assertEqual(row.date.strftime("%Y-%m-%d %H:%M"), "2026-05-04 12:00")
        self.assertEqual(
            (row.team_id, row.technician_id, row.partner_id, row.product_id, row.lot_id),
            (self.team, self.tech, self.customer, self.product, self.unit),
        )
        self.assertEqual(row.product_categ_id, self.categ_compressors)
        self.assertEqual((row.production_batch, row.warranty_state), ("B-2601", "in"))
        self.assertEqual(row.fault_cause, "worn contactor")
        self.assertFalse(row.is_repeat_repair)
        self.assertEqual((row.cost_parts, row.cost_total), (80, first.cost_total))
        self.assertTrue(Ledger.search([("ticket_id", "=", repeat.id)]).is_repeat_repair)

        # Repairs per product per month, with costs: the pivot's grouped read.
        groups = Ledger._read_group(
            [("ticket_id", "in", tickets.ids)],
            ["product_id", "date:month"],
            ["__count", "repeat_count:sum", "in_warranty_count:sum", "cost_parts:sum"],
        )
        self.assertEqual(
            {(p, month.strftime("%Y-%m")): rest for p, month, *rest in groups},
            {
                (self.product, "2026-05"): [3, 1, 2, 80],
                (self.other_product, "2026-06"): [1, 0, 0, 0],
            },
        )

    def test_faults_by_production_batch(self):
        first, repeat, no_batch, chiller, _returned = self._repairs()
        tickets = first | repeat | no_batch | chiller
        expected = {
            (self.product, "B-2601"): (2, 1),
            (self.product, False): (1, 0),  # no batch on TC-0001: grouped as unknown
            (self.other_product, "B-2602"): (1, 0),
        }
        for model in ("aftersales.repair.ledger", "aftersales.quality.report"):
            groups = (
                self.env[model]
                .with_user(self.analyst_user)
                ._read_group(
                    [("ticket_id", "in", tickets.ids)],
                    ["product_id", "production_batch"],
                    ["__count", "repeat_count:sum"],
                )
            )
            self.assertEqual(
                {(p, batch): (n, repeats) for p, batch, n, repeats in groups}, expected, model
            )
        action = self.env.ref("aftersales_service.action_aftersales_faults_by_batch")
        self.assertIn("'production_batch'", action.context)
        # A batch set later is read at once: the ledger is a view over the serials.
        self.lot.aftersales_production_batch = "B-2599"
        self.env.flush_all()
        row = self.env["aftersales.repair.ledger"].search([("ticket_id", "=", no_batch.id)])
        self.assertEqual(row.production_batch, "B-2599")

    def test_parts_ledger_issued_and_returned(self):
        first, _repeat, no_batch, _chiller, returned = self._repairs()
        Parts = self.env["aftersales.parts.ledger"].with_user(self.rep_user)
        rows = Parts.search([("ticket_id", "=", first.id)])
        issued = rows.filtered(lambda r: r.movement == "issued")
        back = rows - issued
        self.assertEqual(len(issued), 1)
        self.assertEqual(
            (issued.product_id, issued.quantity, issued.value, issued.technician_id),
            (self.part, 2, 80, self.tech),
        )
        self.assertEqual(
            issued.repair_id,
            self.env["repair.order"].search([("aftersales_ticket_id", "=", first.id)]),
        )
        self.assertEqual(issued.location_id, self.van, "out of Tech One's van")
        self.assertEqual(issued.date.strftime("%Y-%m-%d"), "2026-05-04")
        self.assertEqual(
            (back.product_id, back.quantity, back.defective_return_id, back.technician_id),
            (self.part, 2, returned, self.tech),
        )
        self.assertEqual(back.location_id, self.env.ref("stock.stock_location_customers"))
        self.assertEqual(back.location_dest_id, self.company._aftersales_defective_location())
        self.assertEqual(back.date.strftime("%Y-%m-%d"), "2026-05-06")
        # Back in stock from the customer's site at the part's cost: 2 x 40.
        self.assertEqual(back.value, 80)
        self.assertEqual(
            back.value, sum(returned.move_ids.stock_valuation_layer_ids.mapped("value"))
        )

        # Issued vs returned per part and month: the pivot's grouped read.
        [(part, month, issued_qty, returned_qty, issued_value, returns)] = Parts._read_group(
            [("product_id", "=", self.part.id)],
            ["product_id", "date:month"],
            [
                "quantity_issued:sum",
                "quantity_returned:sum",
                "value_issued:sum",
                "return_count:sum",
            ],
        )
        self.assertEqual(
            (part, month.strftime("%Y-%m"), issued_qty, returned_qty, issued_value, returns),
            (self.part, "2026-05", 2, 2, 80, 1),
        )
        # Expected, not back yet: not returned.
        pending = (
            self.env["aftersales.defective.return"]
            .sudo()
            .create({"ticket_id": no_batch.id, "product_id": self.part.id})
        )
        self.env.flush_all()
        self.assertFalse(Parts.search([("defective_return_id", "=", pending.id)]))

    def test_monthly_values(self):
        first, repeat, no_batch, _chiller, _returned = self._repairs()
        values = (
            self.env["aftersales.repair.ledger"]
            .with_user(self.rep_user)
            ._ledger_monthly_values(self.company, *MAY)
        )
        by_product = {row["product"]: row for row in values["by_product"]}
        compressor = by_product[self.product]
        self.assertEqual(
            (compressor["repairs"], compressor["in_warranty"], compressor["out_warranty"]),
            (3, 2, 1),
        )
        self.assertEqual(compressor["cost_parts"], 80)
        self.assertEqual(
            compressor["cost_total"], sum((first | repeat | no_batch).mapped("cost_total"))
        )
        self.assertNotIn(self.other_product, by_product, "resolved in June")
        [contactor] = [row for row in values["by_part"] if row["part"] == self.part]
        self.assertEqual(
            (contactor["issued"], contactor["issued_value"], contactor["returned"]), (2, 80, 2)
        )
        costs = dict(values["costs"])
        self.assertEqual(
            list(costs),
            [
                "Parts Cost",
                "Labour Cost",
                "Expenses Cost",
                "Fund Drawings",
                "Fees Waived",
                "Total Cost",
                "Invoiced",
            ],
        )
        self.assertGreaterEqual(costs["Parts Cost"], 80)
        self.assertEqual(
            costs["Total Cost"], sum(row["cost_total"] for row in values["by_product"])
        )
        batches = [
            (row["product"], row["batch"], row["faults"], row["repeats"])
            for row in values["by_batch"]
            if row["product"] == self.product
        ]
        self.assertEqual(batches, [(self.product, "B-2601", 2, 1), (self.product, False, 1, 0)])
        self.assertLessEqual(len(values["by_batch"]), 10)

    def test_technicians_do_not_read_ledgers(self):
        self._repairs()
        for model in ("aftersales.repair.ledger", "aftersales.parts.ledger"):
            Model = self.env[model]
            with self.assertRaises(AccessError, msg=model):
                Model.with_user(self.tech_user).search([])
            with self.assertRaises(AccessError, msg=model):
                Model.with_user(self.tech_user)._read_group([], ["product_id"], ["__count"])
            with self.assertRaises(AccessError, msg=model):
                Model.with_user(self.internal_user).search([])
            for user in (self.rep_user, self.analyst_user, self.manager_user):
                self.assertTrue(Model.with_user(user).search_count([]), f"{model} {user.login}")
        with self.assertRaises(AccessError):
            self.env["aftersales.repair.ledger"].with_user(self.tech_user)._ledger_monthly_values(
                self.company, *MAY
            )
        with self.assertRaises(AccessError):
            self.env["aftersales.ledger.print"].with_user(self.tech_user).create({})
        # The menus: customer service, analysts and managers.
        menu = self.env.ref("aftersales_service.menu_aftersales_ledgers")
        self.assertEqual(
            menu.groups_id,
            self.env.ref("aftersales_service.group_aftersales_user")
            | self.env.ref("aftersales_service.group_aftersales_analyst"),
        )

    def test_print_wizard(self):
        self._repairs()
        wizard = (
            self.env["aftersales.ledger.print"]
            .with_user(self.rep_user)
            .create({"date_month": "2026-05-17"})
        )
        self.assertEqual((wizard.date_from, wizard.date_to), MAY)
        self.assertEqual(wizard.company_id, self.company)
        action = wizard.action_print()
        self.assertEqual(action["report_name"], "aftersales_service.report_ledger_monthly")
        self.assertEqual(
            action["data"],
            {"company_id": self.company.id, "date_from": "2026-05-01", "date_to": "2026-05-31"},
        )
        report = self.env.ref("aftersales_service.action_report_aftersales_ledger_monthly")
        html, _format = (
            self.env["ir.actions.report"]
            .with_user(self.rep_user)
            ._render_qweb_html(report, [], data=action["data"])
        )
        for text in ("After-Sales Ledger", "2026-05", "Contactor", "B-2601", "Unknown batch"):
            self.assertIn(text, html.decode())
        # Without a period: last month's ledger. A period that is not one: a clear error.
        Values = self.env["report.aftersales_service.report_ledger_monthly"].with_user(
            self.rep_user
        )
        with self._at("2026-06-15 04:00:00"):
            section = Values._get_report_values([self.company.id])["sections"][0]
        self.assertEqual((section["date_from"], section["date_to"]), MAY)
        with self.assertRaisesRegex(UserError, "ledger period needs a first and a last day"):
            Values._get_report_values([], data={"date_from": "2026-05-31", "date_to": "2026-05-01"})


@tagged("post_install", "-at_install")
class TestLedgerMultiCompany(AftersalesCommon):
    def test_other_companys_rows_are_invisible(self):
        company_b = self.env["res.company"].create({"name": "Ledger Subsidiary B"})
        rep_b = new_test_user(
            self.env,
            login="t_ledger_rep_b",
            groups="base.group_user,aftersales_service.group_aftersales_user",
            company_id=company_b.id,
            company_ids=[company_b.id],
        )
        ticket_a = self._resolved_ticket()
        ticket_b = (
            self.env["aftersales.ticket"]
            .with_user(rep_b)
            .with_company(company_b)
            .create({"partner_id": self.other_customer.id, "product_id": self.product.id})
        )
        ticket_b.sudo()._aftersales_method_write(
            {"state": "resolved", "date_resolved": "2026-05-10 10:00:00"}
        )
        part = self.env["product.product"].create({"name": "Ledger Gasket", "is_storable": True})
        Return = self.env["aftersales.defective.return"].sudo()
        for ticket in (ticket_a, ticket_b):
            Return.create({"ticket_id": ticket.id, "product_id": part.id})._aftersales_method_write(
                {"state": "received", "date_received": "2026-05-11 09:00:00"}
            )
        self.env.flush_all()
        tickets = [("ticket_id", "in", (ticket_a | ticket_b).ids)]
        for model in ("aftersales.repair.ledger", "aftersales.parts.ledger"):
            Model = self.env[model]
            self.assertEqual(Model.with_user(self.analyst_user).search(tickets).ticket_id, ticket_a)
            self.assertEqual(Model.with_user(rep_b).search(tickets).ticket_id, ticket_b)
            self.assertEqual(len(Model.sudo().search(tickets)), 2, model)
        # Nor printed: the PDF of another company is refused before anything is read.
        with self.assertRaisesRegex(AccessError, "companies you work in"):
            self.env["aftersales.repair.ledger"].with_user(
                self.analyst_user
            )._ledger_monthly_values(company_b, *MAY)


@tagged("post_install", "-at_install")
class TestLedgerPrintRoute(AftersalesCommon, HttpCase):
    def test_pdf_route_refuses_technicians(self):
        ticket = self._resolved_ticket()
        self.env.flush_all()
        day = ticket.date_resolved.date()
        options = quote(
            json.dumps(
                {"date_from": str(day - timedelta(days=1)), "date_to": str(day + timedelta(days=1))}
            )
        )
        company = self.company.id
        pdf = f"/report/pdf/aftersales_service.report_ledger_monthly/{company}?options={options}"
        html = f"/report/html/aftersales_service.report_ledger_monthly/{company}?options={options}"
        for login in ("t_tech", "t_internal"):
            self.authenticate(login, login)
            for url in (pdf, html):
                response = self.url_open(url, timeout=60)
                self.assertNotEqual(response.status_code, 200, f"{login} {url}")
                self.assertNotIn("application/pdf", response.headers.get("Content-Type", ""))
                self.assertNotIn("Test Compressor", response.text)
        self.authenticate("t_rep", "t_rep")
        response = self.url_open(html, timeout=60)
        self.assertEqual(response.status_code, 200, response.text[:500])
        self.assertIn("After-Sales Ledger", response.text)
        self.assertIn("Test Compressor", response.text)
        self.authenticate("t_analyst", "t_analyst")
        response = self.url_open(pdf, timeout=60)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")


@tagged("post_install", "-at_install")
class TestLedgerChinese(AftersalesCommon):
    def test_ledger_labels_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["aftersales_service"], ["zh_CN"], overwrite=True
        )
        zh = self.env(context=dict(self.env.context, lang="zh_CN"))
        self.assertEqual(zh.ref("aftersales_service.menu_aftersales_ledgers").name, "台帐")
        self.assertEqual(
            zh.ref("aftersales_service.menu_aftersales_repair_ledger").name, "维修台帐"
        )
        self.assertEqual(zh.ref("aftersales_service.menu_aftersales_parts_ledger").name, "备件台帐")
        self.assertEqual(
            zh["stock.lot"].fields_get(["aftersales_production_batch"])[
                "aftersales_production_batch"
            ]["string"],
            "生产批次",
        )
        fields = zh["aftersales.parts.ledger"].fields_get(["movement", "quantity_returned"])
        self.assertIn(("returned", "旧件返还"), fields["movement"]["selection"])
        self.assertEqual(fields["quantity_returned"]["string"], "返还数量")
        self.assertEqual(
            zh["aftersales.repair.ledger"].fields_get(["cost_total"])["cost_total"]["string"],
            "总成本",
        )
