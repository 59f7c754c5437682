from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class HrExpense(models.Model):
    _inherit = "hr.expense"  # pylint: disable=consider-merging-classes-inherited

    aftersales_visit_id = fields.Many2one(
        "aftersales.visit",
        string="Service Visit",
        index="btree_not_null",
        check_company=True,
        help="The trip this expense was for: it counts in the ticket's cost.",
    )
    aftersales_ticket_id = fields.Many2one(
        related="aftersales_visit_id.ticket_id",
        string="Service Ticket",
        store=True,
        index="btree_not_null",
    )

    @api.constrains("aftersales_visit_id", "employee_id", "date")
    def _check_aftersales_trip(self):
        """Seed 002: travel receipts are true and match the trip. An expense on a visit is
        one of its technicians', dated on a day of the trip."""
        for expense in self.filtered("aftersales_visit_id"):
            visit = expense.aftersales_visit_id.sudo()
            if expense.employee_id not in visit.technician_ids:
                raise ValidationError(
                    _(
                        "%(employee)s is not a technician of visit %(visit)s: only the "
                        "technicians who made the trip record its expenses.",
                        employee=expense.employee_id.name,
                        visit=visit.name,
                    )
                )
            first_day, last_day = visit._trip_days()
            if expense.date and not first_day <= expense.date <= last_day:
                raise ValidationError(
                    _(
                        "The expense of %(date)s does not match the trip of visit %(visit)s "
                        "(%(first)s to %(last)s): receipts are dated on the days of the trip.",
                        date=fields.Date.to_string(expense.date),
                        visit=visit.name,
                        first=fields.Date.to_string(first_day),
                        last=fields.Date.to_string(last_day),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        expenses = super().create(vals_list)
        expenses._aftersales_update_ticket_costs(expenses.sudo().aftersales_ticket_id.ids)
        return expenses

    def write(self, vals):
        before = self.sudo().aftersales_ticket_id.ids
        res = super().write(vals)
        self._aftersales_update_ticket_costs(before + self.sudo().aftersales_ticket_id.ids)
        return res

    def unlink(self):
        tickets = self.sudo().aftersales_ticket_id.ids
        res = super().unlink()
        self._aftersales_update_ticket_costs(tickets)
        return res

    def _aftersales_update_ticket_costs(self, ticket_ids):
        if ticket_ids:
            self.env["aftersales.ticket"]._aftersales_update_costs_of(ticket_ids)
