from odoo import _, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_deadline_hours = fields.Integer(
        string="Dispatch Deadline (hours)",
        default=24,
        help="Default time a technician has to handle a dispatched ticket.",
    )
    aftersales_emergency_deadline_hours = fields.Integer(
        string="Emergency Dispatch Deadline (hours)",
        default=4,
        help="Default deadline for emergency tickets.",
    )

    _sql_constraints = [
        (
            "aftersales_deadline_hours_positive",
            "CHECK (aftersales_deadline_hours > 0 AND aftersales_emergency_deadline_hours > 0)",
            "After-sales deadlines must be at least one hour.",
        ),
    ]

    def _aftersales_next_ticket_reference(self):
        """Next ticket reference from this company's own sequence (created on first use)."""
        self.ensure_one()
        Sequence = self.env["ir.sequence"].sudo()
        code = "aftersales.ticket"
        if not Sequence.search_count([("code", "=", code), ("company_id", "=", self.id)], limit=1):
            Sequence.create(
                {
                    "name": _("After-Sales Tickets (%s)", self.name),
                    "code": code,
                    "company_id": self.id,
                    "prefix": "AS%(range_year)s-",
                    "padding": 5,
                    "use_date_range": True,
                }
            )
        return Sequence.with_company(self).next_by_code(code)
