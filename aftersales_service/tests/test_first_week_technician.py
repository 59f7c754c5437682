from datetime import datetime

from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .test_service_execution import ExecutionCommon


@tagged("post_install", "-at_install")
class TestFirstWeekTechnician(ExecutionCommon):
    """Issue 20: what customer service and technicians hit in their first week."""

    def _on_site_visit(self, ticket=None, **vals):
        visit = self._visit(ticket or self._unit_ticket(), **vals)
        visit.with_user(self.tech_user).action_check_in()
        return visit

    def _arch(self, xmlid):
        return etree.fromstring(self.env.ref(xmlid).arch)

    # 8. Return visits ------------------------------------------------------

    def test_unreachable_return_visit_can_be_tried_again(self):
        ticket = self._resolved_ticket()
        ticket.with_user(self.rep_user).action_customer_confirm()
        ticket.with_user(self.rep_user).action_close()
        followup = self.env.ref("aftersales_service.mail_activity_ticket_followup")

        ticket.with_user(self.rep_user).action_record_followup("unreachable", "No answer")
        self.assertEqual(ticket.followup_outcome, "unreachable")
        self.assertEqual(ticket.followup_attempt_count, 1)
        retry = ticket.activity_ids.filtered(lambda a: a.activity_type_id == followup)
        self.assertEqual(len(retry), 1, "the next call is planned")
        self.assertEqual(retry.user_id, self.rep_user)
        # The button to call again stays on the form.
        arch = self._arch("aftersales_service.aftersales_ticket_view_form")
        retry_button = arch.xpath("//button[@string='Call Again']")[0]
        self.assertEqual(retry_button.get("name"), "action_open_followup_wizard")
        self.assertIn("followup_outcome != 'unreachable'", retry_button.get("invisible"))

        action = ticket.with_user(self.rep_user).action_open_followup_wizard()
        form = Form(
            self.env[action["res_model"]].with_user(self.rep_user).with_context(**action["context"])
        )
        form.outcome = "satisfied"
        form.save().action_confirm()
        self.assertEqual(ticket.followup_outcome, "satisfied")
        self.assertEqual(ticket.followup_attempt_count, 2)
        self.assertFalse(ticket.activity_ids.filtered(lambda a: a.activity_type_id == followup))
        self.assertIn("attempt 2", ticket.message_ids[0].body)
        with self.assertRaisesRegex(UserError, "already answered"):
            ticket.with_user(self.rep_user).action_record_followup("unreachable")

    # 11. Dispatch ------------------------------------------------------------

    def _assign_form(self, tickets):
        action = tickets.with_user(self.rep_user).action_open_assign_wizard()
        return Form(
            self.env[action["res_model"]].with_user(self.rep_user).with_context(**action["context"])
        )

    def test_dispatch_offers_the_team_with_workload_and_arrival(self):
        self.team.member_ids = [Command.link(self.tech_west.id)]
        busy = self._unit_ticket()  # Tech One: one open ticket and a visit until 18:00
        self._visit(
            busy, scheduled_start="2026-05-04 09:00:00", scheduled_end="2026-05-04 18:00:00"
        )
        with freeze_time("2026-05-04 08:00:00"):
            with self._at("2026-05-04 08:00:00"):
                ticket = self._ticket(lot_id=self.unit.id)
            self.assertFalse(ticket.deadline_arrival, "no SLA: the dispatch deadline counts")
            form = self._assign_form(ticket)
            self.assertEqual(form.team_id, self.team)
            self.assertNotIn(self.employee_without_user, form.allowed_technician_ids)
            form.date_deadline = datetime(2026, 5, 4, 12, 0)
            wizard = form.save()
        lines = {line.technician_id: line for line in wizard.candidate_ids}
        self.assertEqual(set(lines), {self.tech, self.tech2, self.tech_west})
        self.assertEqual(lines[self.tech].open_ticket_count, 1)
        self.assertEqual(lines[self.tech].free_from, datetime(2026, 5, 4, 18, 0))
        self.assertEqual(lines[self.tech].arrival_deadline, datetime(2026, 5, 4, 12, 0))
        self.assertFalse(lines[self.tech].can_meet_arrival)
        self.assertTrue(lines[self.tech_west].can_meet_arrival)
        self.assertEqual(lines[self.tech_west].open_ticket_count, 0)
        self.assertEqual(wizard.candidate_ids[-1].technician_id, self.tech, "least able last")
        lines[self.tech_west].with_user(self.rep_user).action_choose()
        self.assertEqual(wizard.technician_id, self.tech_west)
        with freeze_time("2026-05-04 08:05:00"):
            wizard.with_user(self.rep_user).action_assign()
        self.assertEqual(ticket.technician_id, self.tech_west)

    def test_dispatch_prefills_the_contract_team_and_without_team_offers_technicians(self):
        ticket = self._ticket(team_id=False)
        contract_team = self.team_west
        ticket.sudo().contract_id = (
            self.env["aftersales.contract"]
            .sudo()
            .create(
                {
                    "partner_id": self.customer.id,
                    "team_id": contract_team.id,
                    "date_end": "2026-12-31",
                    "inspection_frequency": "quarterly",
                }
            )
        )
        self.assertEqual(self._assign_form(ticket).team_id, contract_team)
        plain = self._ticket(team_id=False)
        form = self._assign_form(plain)
        self.assertFalse(form.team_id)
        offered = form.allowed_technician_ids
        self.assertIn(self.tech_west, offered)
        staff = self.env["hr.employee"].create(
            {"name": "Office Clerk", "user_id": self.internal_user.id}
        )
        self.assertNotIn(staff, offered, "not every internal user is a technician")
        with self.assertRaisesRegex(UserError, "Choose the technician"):
            form.save().action_assign()

    # 13. Check-out --------------------------------------------------------------

    def test_check_out_with_an_incomplete_report_says_what_is_missing(self):
        visit = self._on_site_visit(work_done="<p>Cleaned the coil</p>")
        action = visit.with_user(self.tech_user).action_request_check_out()
        self.assertEqual(action["res_model"], "aftersales.visit.check.out")
        self.assertEqual(visit.state, "on_site", "nothing happens before the technician agrees")
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.tech_user)
            .with_context(**action["context"])
            .create({})
        )
        self.assertIn("the fault cause", wizard.missing_items)
        self.assertIn("the customer's opinion", wizard.missing_items)
        self.assertNotIn("the work done", wizard.missing_items)
        wizard.action_confirm()
        self.assertEqual(visit.state, "done")
        penalty = self.env["aftersales.penalty"].search([("visit_id", "=", visit.id)])
        self.assertTrue(penalty)
        self.assertIn("the fault cause", penalty.reason)
        self.assertIn("the parts used", penalty.reason)
        self.assertNotIn("the work done", penalty.reason)

    def test_complete_report_checks_out_at_once(self):
        ticket = self._unit_ticket()
        ticket.with_user(self.tech_user).resolution_cause = "Worn contactor"
        visit = self._on_site_visit(
            ticket, work_done="<p>Replaced</p>", no_parts_used=True, customer_opinion="Good"
        )
        self.assertIs(visit.with_user(self.tech_user).action_request_check_out(), True)
        self.assertEqual(visit.state, "done")
        self.assertFalse(self.env["aftersales.penalty"].search([("visit_id", "=", visit.id)]))

    # 14. Work done is the solution ------------------------------------------------

    def test_work_done_reaches_an_empty_solution_only(self):
        ticket = self._unit_ticket()
        visit = self._visit(ticket)
        visit.with_user(self.tech_user).write({"work_done": "<p>Replaced the contactor</p>"})
        self.assertIn("Replaced the contactor", ticket.resolution_note)
        ticket.with_user(self.tech_user).resolution_cause = "Worn contactor"
        ticket.with_user(self.tech_user).action_resolve()  # no second typing
        self.assertEqual(ticket.state, "resolved")

        typed = self._unit_ticket()
        typed.with_user(self.tech_user).resolution_note = "<p>Typed by the office</p>"
        self._visit(typed).with_user(self.tech_user).work_done = "<p>Other words</p>"
        self.assertIn("Typed by the office", typed.resolution_note)
        self.assertNotIn("Other words", typed.resolution_note)

    # 15. Parts from the van ---------------------------------------------------------

    def test_part_picker_offers_the_van_first_with_quantities_and_lots(self):
        visit = self._visit(self._unit_ticket())
        Product = self.env["product.product"].with_user(self.tech_user)
        plain = Product.name_search("", limit=500)
        van = Product.with_context(aftersales_van_visit_id=visit.id).name_search("", limit=500)
        self.assertEqual(len(van), len(plain), "the rest of the catalogue still follows")
        first_two = dict(van[:2])
        self.assertEqual(set(first_two), {self.part.id, self.serial_part.id})
        self.assertIn("10 in your van", first_two[self.part.id])
        self.assertIn("2 in your van", first_two[self.serial_part.id])
        searched = Product.with_context(aftersales_van_visit_id=visit.id).name_search("Contactor")
        self.assertEqual(searched[0][0], self.part.id)

        Lot = self.env["stock.lot"].with_user(self.tech_user)
        lots = Lot.with_context(aftersales_van_visit_id=visit.id).name_search(
            "", [("product_id", "=", self.serial_part.id)]
        )
        self.assertEqual({lot_id for lot_id, _name in lots}, set(self.board_lots.ids))
        self.assertTrue(all("1 in your van" in name for _id, name in lots))

        with Form(visit.with_user(self.tech_user)) as form:
            with form.part_ids.new() as line:
                line.product_id = self.serial_part
                self.assertIn(line.lot_id, self.board_lots, "the serial comes from the van")

    # 16. Contact and request on the visit -----------------------------------------------

    def test_visit_shows_contact_phone_and_request(self):
        ticket = self._unit_ticket(contact_name="Mr. Wang", phone="+86 138 0000 0000")
        visit = self._visit(ticket).with_user(self.tech_user)
        self.assertEqual(visit.contact_phone, "+86 138 0000 0000")
        self.assertEqual(visit.contact_name, "Mr. Wang")
        self.assertIn("Trips the breaker", visit.request_description)
        arch = self._arch("aftersales_service.aftersales_visit_view_form")
        self.assertEqual(arch.xpath("//field[@name='contact_phone']")[0].get("widget"), "phone")
        self.assertTrue(arch.xpath("//field[@name='request_description']"))

    # 12 and 22. Phone-size form and labelled kanban dates --------------------------------------

    def test_technician_actions_are_in_the_sheet_and_cancel_asks(self):
        arch = self._arch("aftersales_service.aftersales_visit_view_form")
        sheet = arch.xpath("//sheet//div[@name='technician_actions']")[0]
        names = [b.get("name") for b in sheet.xpath(".//button")]
        self.assertEqual(
            names[:3], ["action_depart", "action_check_in", "action_request_check_out"]
        )
        self.assertTrue(all("btn-lg" in b.get("class") for b in sheet.xpath(".//button")))
        cancel = arch.xpath("//header/button[@name='action_cancel']")[0]
        self.assertTrue(cancel.get("confirm"))
        ticket_sheet = self._arch("aftersales_service.aftersales_ticket_view_form").xpath(
            "//sheet//div[@name='technician_actions']//button/@name"
        )
        self.assertIn("action_accept", ticket_sheet)

    def test_kanban_dates_are_labelled(self):
        for xmlid, labels in (
            ("aftersales_service.aftersales_ticket_view_kanban", {"Due", "SLA"}),
            ("aftersales_service.aftersales_visit_view_kanban", {"Planned"}),
        ):
            arch = self._arch(xmlid)
            for date in arch.xpath("//field[@widget='remaining_days']"):
                holder = date.getparent()
                label = holder.xpath("./span[contains(@class, 'text-muted')]/text()")
                self.assertTrue(label and label[0] in labels, f"{xmlid}: {date.get('name')}")
                self.assertIn("text-nowrap", holder.get("class"))

    # 23. Service report and activity language ------------------------------------------------

    def test_service_report_times_and_signature_block(self):
        ticket = self._unit_ticket()
        visit = self._visit(ticket)
        with freeze_time("2026-05-04 08:40:00"):
            visit.with_user(self.tech_user).action_check_in()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("aftersales_service.report_visit", visit.ids)[0]
            .decode()
        )
        self.assertNotIn("Travel Time", html, "no departure: no travel time")
        self.assertNotIn("Work Time", html, "not finished: no work time")
        self.assertNotIn("00:00 h", html)
        self.assertIn("page-break-inside: avoid", html)
        with freeze_time("2026-05-04 10:10:00"):
            visit.with_user(self.tech_user).action_check_out()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("aftersales_service.report_visit", visit.ids)[0]
            .decode()
        )
        self.assertIn("Work Time", html)
        self.assertIn("01:30", html)

    def test_activities_read_in_the_assignee_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["aftersales_service"], ["zh_CN"], overwrite=True
        )
        self.rep_user.lang = "zh_CN"
        self.tech_user.lang = "en_US"
        accept = self.env.ref("aftersales_service.mail_activity_ticket_accept")
        ticket = self._ticket()
        ticket.with_user(self.rep_user).with_context(lang="zh_CN").action_assign(self.tech)
        activity = ticket.activity_ids.filtered(lambda a: a.activity_type_id == accept)
        self.assertEqual(activity.summary, "Accept the dispatched ticket")

        self.tech2_user.lang = "zh_CN"
        other = self._ticket()
        other.with_user(self.rep_user).action_assign(self.tech2)
        activity = other.activity_ids.filtered(lambda a: a.activity_type_id == accept)
        self.assertEqual(
            activity.summary, accept.with_context(lang="zh_CN").summary, "Chinese for Chinese"
        )
        self.assertNotEqual(activity.summary, "Accept the dispatched ticket")
