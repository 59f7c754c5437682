import json

from odoo.tests import HttpCase, new_test_user, tagged

# Waits until the view's renderer is on screen, then reports success; any
# JavaScript error or Odoo error dialog before that fails the test.
WAIT_FOR = """
    const deadline = Date.now() + 30000;
    (function check() {
        const errorDialog = document.querySelector('.o_error_dialog');
        if (errorDialog) {
            console.error('Odoo error dialog: ' + errorDialog.innerText);
        } else if (document.querySelector(%(selector)s)) {
            console.log('test successful');
        } else if (Date.now() > deadline) {
            console.error(%(selector)s + ' never appeared');
        } else {
            setTimeout(check, 100);
        }
    })();
"""


@tagged("post_install", "-at_install")
class TestTicketScreens(HttpCase):
    """Each role opens its After-Sales screens in the real web client."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = "base.group_user,aftersales_service.group_aftersales_"
        cls.rep = new_test_user(cls.env, "ui_rep", groups=groups + "user")
        cls.tech = new_test_user(cls.env, "ui_tech", groups=groups + "technician")
        cls.analyst = new_test_user(cls.env, "ui_analyst", groups=groups + "analyst")
        cls.manager = new_test_user(cls.env, "ui_manager", groups=groups + "manager")
        technician = cls.env["hr.employee"].create({"name": "UI Tech", "user_id": cls.tech.id})
        customer = cls.env["res.partner"].create({"name": "UI Customer"})
        cls.ticket = (
            cls.env["aftersales.ticket"]
            .with_context(aftersales_no_customer_mail=True)
            .create({"partner_id": customer.id, "description": "<p>Screen check</p>"})
        )
        cls.ticket.action_assign(technician)

    def _open(self, path, selector, login):
        code = WAIT_FOR % {"selector": json.dumps(selector)}
        self.browser_js(path, code, login=login, timeout=60)

    def test_rep_screens(self):
        action = "/odoo/action-aftersales_service.action_aftersales_ticket"
        self._open(action, ".o_kanban_renderer .o_kanban_record", "ui_rep")
        self._open(f"{action}?view_type=list", ".o_list_renderer .o_data_row", "ui_rep")
        self._open(
            f"{action}/{self.ticket.id}",
            ".o_form_view button[name='action_open_assign_wizard']",
            "ui_rep",
        )

    def test_technician_screens(self):
        self._open(
            "/odoo/action-aftersales_service.action_aftersales_ticket_my",
            ".o_kanban_renderer .o_kanban_record",
            "ui_tech",
        )
        self._open(
            f"/odoo/action-aftersales_service.action_aftersales_ticket/{self.ticket.id}",
            ".o_form_view button[name='action_accept']",
            "ui_tech",
        )

    def test_analyst_and_manager_screens(self):
        self._open(
            "/odoo/action-aftersales_service.action_aftersales_ticket_analysis",
            ".o_pivot table",
            "ui_analyst",
        )
        self._open(
            "/odoo/action-aftersales_service.action_aftersales_team",
            ".o_list_renderer",
            "ui_manager",
        )
