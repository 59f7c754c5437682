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

    aftersales_warranty_reminder_months = fields.Integer(
        string="Warranty Reminder (months)",
        default=3,
        help="How long before a warranty ends the salesperson and the customer are reminded.",
    )
    aftersales_warranty_responsible_id = fields.Many2one(
        "res.users",
        string="Warranty Reminders Go To",
        help="Receives the expiry reminders of warranties without a salesperson. "
        "Empty: the first After-Sales manager.",
    )

    _sql_constraints = [
        (
            "aftersales_warranty_reminder_months_positive",
            "CHECK (aftersales_warranty_reminder_months >= 0)",
            "The warranty reminder window cannot be negative.",
        ),
        (
            "aftersales_deadline_hours_positive",
            "CHECK (aftersales_deadline_hours > 0 AND aftersales_emergency_deadline_hours > 0)",
            "After-sales deadlines must be at least one hour.",
        ),
    ]

    def _aftersales_next_ticket_reference(self):
        return self._aftersales_next_reference(
            "aftersales.ticket", _("After-Sales Tickets"), "AS%(range_year)s-"
        )

    def _aftersales_next_reference(self, code, label, prefix):
        """Next reference from this company's own sequence (created on first use)."""
        self.ensure_one()
        Sequence = self.env["ir.sequence"].sudo()
        if not Sequence.search_count([("code", "=", code), ("company_id", "=", self.id)], limit=1):
            Sequence.create(
                {
                    "name": f"{label} ({self.name})",
                    "code": code,
                    "company_id": self.id,
                    "prefix": prefix,
                    "padding": 5,
                    "use_date_range": True,
                }
            )
        return Sequence.with_company(self).next_by_code(code)

    def _aftersales_warranty_responsible(self):
        """Who follows up expiring warranties sold by nobody in particular."""
        self.ensure_one()
        if self.aftersales_warranty_responsible_id:
            return self.aftersales_warranty_responsible_id
        managers = self.env.ref("aftersales_service.group_aftersales_manager").users
        return managers.filtered(
            lambda u: not u._is_superuser() and self in u.company_ids and u.active
        ).sorted("id")[:1]
