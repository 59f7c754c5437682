from odoo import _, api, fields, models


class AftersalesVisit(models.Model):
    _inherit = "aftersales.visit"  # pylint: disable=consider-merging-classes-inherited

    expense_ids = fields.One2many("hr.expense", "aftersales_visit_id", string="Expenses")
    expense_count = fields.Integer(compute="_compute_expense_total")
    expense_total = fields.Monetary(
        string="Expenses Total",
        compute="_compute_expense_total",
        currency_field="company_currency_id",
        help="Travel and other expenses of the trip, in company currency (refused ones excluded).",
    )
    company_currency_id = fields.Many2one(related="company_id.currency_id")

    @api.depends("expense_ids.total_amount", "expense_ids.state")
    def _compute_expense_total(self):
        groups = (
            self.env["hr.expense"]
            .sudo()
            ._read_group(
                [("aftersales_visit_id", "in", self.ids), ("state", "!=", "refused")],
                ["aftersales_visit_id"],
                ["__count", "total_amount:sum"],
            )
        )
        totals = {visit: (count, total) for visit, count, total in groups}
        for visit in self:
            visit.expense_count, visit.expense_total = totals.get(visit._origin, (0, 0.0))

    def action_check_out(self, note=None):
        res = super().action_check_out(note=note)
        # Hours are known at check-out: labour is a cost of the ticket from then on.
        self.env["aftersales.ticket"]._aftersales_update_costs_of(self.sudo().ticket_id.ids)
        return res

    def _trip_days(self):
        """(first day, last day) of the trip in the user's zone: departure (else check-in,
        else the planned start) to check-out (else the planned end)."""
        self.ensure_one()
        start = self.date_departure or self.check_in or self.scheduled_start
        end = self.check_out or self.scheduled_end
        first = fields.Date.context_today(self, start)
        last = fields.Date.context_today(self, max(end, start))
        return first, last

    def action_add_expense(self):
        """The expense form for this trip, for the user if they made it."""
        self.ensure_one()
        self._aftersales_check_assignee_or("user", _("record the expenses of this visit"))
        technicians = self.sudo().technician_ids
        employee = technicians.filtered(lambda e: e.user_id == self.env.user)[:1]
        employee = employee or technicians[:1]
        first_day, last_day = self._trip_days()
        return {
            "type": "ir.actions.act_window",
            "name": _("Expense of %s", self.name),
            "res_model": "hr.expense",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {
                "default_aftersales_visit_id": self.id,
                "default_employee_id": employee.id,
                "default_date": fields.Date.to_string(
                    min(last_day, max(first_day, fields.Date.context_today(self)))
                ),
                "default_name": _("Trip %s", self.name),
            },
        }

    def action_view_expenses(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Expenses of %s", self.name),
            "res_model": "hr.expense",
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": [("aftersales_visit_id", "=", self.id)],
            "context": {"default_aftersales_visit_id": self.id},
        }

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_method_fields(self):
        # Expenses are recorded on hr.expense (Add Expense), each employee their own.
        return super()._aftersales_method_fields() | {"expense_ids"}
