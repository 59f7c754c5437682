import math

from dateutil.relativedelta import relativedelta

from odoo import Command, _, fields, models
from odoo.exceptions import UserError

from ..kpi.hr_employee import SCORECARD_GROUPS


class HrEmployee(models.Model):
    _inherit = "hr.employee"  # pylint: disable=consider-merging-classes-inherited

    aftersales_month_defective_overdue = fields.Integer(
        string="Defective Parts Overdue (This Month)",
        compute="_compute_aftersales_defective_overdue",
        groups=SCORECARD_GROUPS,
    )
    aftersales_quarter_defective_overdue = fields.Integer(
        string="Defective Parts Overdue (This Quarter)",
        compute="_compute_aftersales_defective_overdue",
        groups=SCORECARD_GROUPS,
    )

    def _compute_aftersales_defective_overdue(self):
        today = self.env["aftersales.kpi.report"]._aftersales_today()
        month_start = today.replace(day=1)
        quarter_start = month_start.replace(month=(today.month - 1) // 3 * 3 + 1)
        for period, start in (("month", month_start), ("quarter", quarter_start)):
            counts = dict(
                self.env["aftersales.defective.return"]
                .sudo()
                ._read_group(
                    [
                        ("employee_id", "in", self.ids),
                        ("is_overdue", "=", True),
                        ("date_due", ">=", start),
                        ("date_due", "<=", today),
                    ],
                    ["employee_id"],
                    ["__count"],
                )
            )
            for employee in self:
                employee[f"aftersales_{period}_defective_overdue"] = counts.get(employee, 0)

    # ------------------------------------------------------------------
    # Van min/max
    # ------------------------------------------------------------------

    def _aftersales_van(self):
        self.ensure_one()
        van = self.sudo().aftersales_location_id
        if not van:
            raise UserError(_("%s has no service van stock.", self.name))
        return van

    def _aftersales_van_consumption(self, months):
        """{product: quantity} taken out of the van to customers or repairs over the last
        ``months`` months."""
        van = self._aftersales_van()
        since = fields.Datetime.now() - relativedelta(months=months)
        groups = (
            self.env["stock.move"]
            .sudo()
            ._read_group(
                [
                    ("state", "=", "done"),
                    ("location_id", "child_of", van.id),
                    ("location_dest_id.usage", "in", ("customer", "production")),
                    ("date", ">=", since),
                ],
                ["product_id"],
                ["product_qty:sum"],
            )
        )
        return dict(groups)

    def action_aftersales_propose_van_rules(self):
        """Van min/max as Odoo reordering rules on the van location, from the last months'
        consumption: the minimum covers a month of use, the maximum two."""
        self.env["aftersales.guard.mixin"]._aftersales_check_role(
            "user", _("set van reordering rules")
        )
        Orderpoint = self.env["stock.warehouse.orderpoint"].sudo()
        for employee in self:
            van = employee._aftersales_van()
            months = max(employee.company_id.aftersales_van_rule_months, 1)
            consumption = employee._aftersales_van_consumption(months)
            existing = {
                rule.product_id: rule for rule in Orderpoint.search([("location_id", "=", van.id)])
            }
            for product, quantity in consumption.items():
                monthly = quantity / months
                values = {
                    "product_min_qty": math.ceil(monthly),
                    "product_max_qty": math.ceil(2 * monthly),
                }
                if product in existing:
                    existing[product].write(values)
                else:
                    Orderpoint.create(
                        {
                            **values,
                            "product_id": product.id,
                            "location_id": van.id,
                            "company_id": van.company_id.id or employee.company_id.id,
                            "trigger": "manual",
                        }
                    )
        return self.action_aftersales_van_rules()

    def action_aftersales_van_rules(self):
        self.ensure_one()
        self.env["aftersales.guard.mixin"]._aftersales_check_role(
            "user", _("see van reordering rules")
        )
        return {
            "type": "ir.actions.act_window",
            "name": _("Van Reordering Rules: %s", self.name),
            "res_model": "stock.warehouse.orderpoint",
            "view_mode": "list",
            "views": [(False, "list")],
            "domain": [("location_id", "=", self._aftersales_van().id)],
            "context": {"search_default_filter_to_reorder": 0},
        }

    def _aftersales_restock_lines(self):
        """Request lines up to the maximum for the parts under the van's minimum."""
        self.ensure_one()
        van = self._aftersales_van()
        rules = self.env["stock.warehouse.orderpoint"].sudo().search([("location_id", "=", van.id)])
        lines = []
        for rule in rules:
            lacking = rule.product_max_qty - rule.qty_forecast
            if rule.qty_forecast < rule.product_min_qty and lacking > 0:
                lines.append(
                    Command.create({"product_id": rule.product_id.id, "quantity": lacking})
                )
        return lines

    def action_aftersales_restock_van(self):
        """A parts request for what the van's reordering rules lack: up to the maximum."""
        self.ensure_one()
        self.env["aftersales.guard.mixin"]._aftersales_check_role("user", _("restock vans"))
        lines = self._aftersales_restock_lines()
        if not lines:
            raise UserError(_("The van of %s holds at least the minimum of every part.", self.name))
        request = self.env["aftersales.part.request"].create(
            {
                "employee_id": self.id,
                "company_id": self.company_id.id,
                "reason": _("Restock the van to its reordering rules."),
                "line_ids": lines,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "aftersales.part.request",
            "res_id": request.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
