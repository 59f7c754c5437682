from odoo import fields, models


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    aftersales_location_id = fields.Many2one(
        "stock.location",
        string="Service Van Stock",
        domain="[('usage', '=', 'internal')]",
        check_company=True,
        groups="hr.group_hr_user,aftersales_service.group_aftersales_technician",
        help="Where the parts this technician uses on site are taken from.",
    )
    aftersales_penalty_ids = fields.One2many(
        "aftersales.penalty",
        "employee_id",
        string="Penalties and Rewards",
        groups="hr.group_hr_user",
    )
    aftersales_month_penalty_amount = fields.Monetary(
        compute="_compute_aftersales_month_totals",
        currency_field="currency_id",
        string="Penalties This Month",
        groups="hr.group_hr_user",
    )
    aftersales_month_reward_amount = fields.Monetary(
        compute="_compute_aftersales_month_totals",
        currency_field="currency_id",
        string="Rewards This Month",
        groups="hr.group_hr_user",
    )
    aftersales_month_points = fields.Float(
        compute="_compute_aftersales_month_totals",
        string="Points This Month",
        groups="hr.group_hr_user",
    )

    def _compute_aftersales_month_totals(self):
        first_day = fields.Date.context_today(self).replace(day=1)
        groups = (
            self.env["aftersales.penalty"]
            .sudo()
            ._read_group(
                [
                    ("employee_id", "in", self.ids),
                    ("state", "=", "confirmed"),
                    ("date", ">=", first_day),
                ],
                ["employee_id", "kind"],
                ["amount:sum", "points:sum"],
            )
        )
        totals = {(employee, kind): (amount, points) for employee, kind, amount, points in groups}
        for employee in self:
            penalty = totals.get((employee, "penalty"), (0.0, 0.0))
            reward = totals.get((employee, "reward"), (0.0, 0.0))
            employee.aftersales_month_penalty_amount = penalty[0]
            employee.aftersales_month_reward_amount = reward[0]
            employee.aftersales_month_points = reward[1] - penalty[1]
