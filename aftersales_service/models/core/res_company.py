from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

# Reference sequences, by code: the data record each company's copy starts from.
AFTERSALES_SEQUENCES = {
    "aftersales.ticket": "aftersales_service.seq_aftersales_ticket",
    "aftersales.contract": "aftersales_service.seq_aftersales_contract",
    "aftersales.warranty": "aftersales_service.seq_aftersales_warranty",
    "aftersales.part.request": "aftersales_service.seq_aftersales_part_request",
    "aftersales.defective.return": "aftersales_service.seq_aftersales_defective_return",
    "aftersales.supplier.claim": "aftersales_service.seq_aftersales_supplier_claim",
    "aftersales.complaint": "aftersales_service.seq_aftersales_complaint",
}


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

    aftersales_repeat_repair_days = fields.Integer(
        string="Repeat Repair Window (days)",
        default=90,
        help="A ticket on a serial resolved less than this many days before is a repeat repair.",
    )
    aftersales_auto_close_days = fields.Integer(
        string="Auto-Close After (days)",
        default=7,
        help="Resolved tickets the customer does not answer close after this many days (0: never).",
    )
    aftersales_followup_days = fields.Integer(
        string="Return Visit After (days)",
        default=3,
        help="Days after closing when customer service calls the customer back.",
    )
    aftersales_warranty_reminder_months = fields.Integer(
        string="Warranty Reminder (months)",
        default=3,
        help="How long before a warranty ends the salesperson and the customer are reminded.",
    )
    aftersales_escalation_manager_id = fields.Many2one(
        "res.users",
        string="SLA Breaches Go To",
        help="Receives the breached SLAs (a late arrival goes to the team leader first) and "
        "the return-visit calls of tickets nobody in particular closed. Empty: the first "
        "After-Sales manager.",
    )
    aftersales_warranty_responsible_id = fields.Many2one(
        "res.users",
        string="Warranty Reminders Go To",
        help="Receives the expiry reminders of warranties without a salesperson. "
        "Empty: the first After-Sales manager.",
    )

    # Evaluation weights, in percent of the score (their total is 100).
    aftersales_weight_on_time = fields.Float(string="On-Time Arrival Weight (%)", default=25.0)
    aftersales_weight_first_time_fix = fields.Float(
        string="First-Time Fix Weight (%)", default=25.0
    )
    aftersales_weight_repeat_repair = fields.Float(string="Repeat Repair Weight (%)", default=20.0)
    aftersales_weight_satisfaction = fields.Float(string="Satisfaction Weight (%)", default=20.0)
    aftersales_weight_penalty = fields.Float(string="Penalties Weight (%)", default=10.0)
    # 0 by default: the five weights above keep adding up to 100 until a manager moves some.
    aftersales_weight_complaint = fields.Float(string="Complaints Weight (%)", default=0.0)
    aftersales_quality_recipient_ids = fields.Many2many(
        "res.partner",
        "res_company_aftersales_quality_recipient_rel",
        "company_id",
        "partner_id",
        string="Quality Report Recipients",
        help="Production, QA and R&D contacts who receive the monthly quality feedback.",
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

    @api.constrains(
        "aftersales_weight_on_time",
        "aftersales_weight_first_time_fix",
        "aftersales_weight_repeat_repair",
        "aftersales_weight_satisfaction",
        "aftersales_weight_penalty",
        "aftersales_weight_complaint",
    )
    def _check_aftersales_weights(self):
        for company in self:
            weights = [
                company.aftersales_weight_on_time,
                company.aftersales_weight_first_time_fix,
                company.aftersales_weight_repeat_repair,
                company.aftersales_weight_satisfaction,
                company.aftersales_weight_penalty,
                company.aftersales_weight_complaint,
            ]
            if any(weight < 0 for weight in weights) or round(sum(weights), 2) != 100:
                raise ValidationError(
                    _(
                        "The evaluation weights of %(company)s must be positive and add up to "
                        "100 %% (they add up to %(total)s %%).",
                        company=company.name,
                        total=round(sum(weights), 2),
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        for company in companies:
            for code in AFTERSALES_SEQUENCES:
                company._aftersales_sequence(code)
        return companies

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------

    def _aftersales_fund_balance(self):
        """What the emergency repair fund holds: approved allocations minus drawings."""
        self.ensure_one()
        groups = (
            self.env["aftersales.fund.move"]
            .sudo()
            ._read_group(
                [("company_id", "=", self.id), ("state", "=", "approved")],
                [],
                ["signed_amount:sum"],
            )
        )
        return groups[0][0] or 0.0

    def _aftersales_sequence(self, code):
        """This company's sequence for ``code``: the one declared in data for the main
        company, a copy of it for any other company."""
        self.ensure_one()
        Sequence = self.env["ir.sequence"].sudo()
        sequence = Sequence.search([("code", "=", code), ("company_id", "=", self.id)], limit=1)
        if sequence:
            return sequence
        template = self.env.ref(AFTERSALES_SEQUENCES[code], raise_if_not_found=False)
        if not template:
            raise UserError(
                _(
                    "The After-Sales sequence %(code)s was deleted. Create a sequence with "
                    "this code in Settings > Technical > Sequences.",
                    code=code,
                )
            )
        return template.sudo().copy(
            {
                "name": f"{template.name} ({self.name})",
                "company_id": self.id,
                "number_next": 1,
                "date_range_ids": [],
            }
        )

    def _aftersales_next_ticket_reference(self):
        return self._aftersales_next_reference("aftersales.ticket")

    def _aftersales_next_reference(self, code):
        """Next reference from this company's own sequence."""
        return self._aftersales_next_references(code, 1)[0]

    def _aftersales_next_references(self, code, count):
        """``count`` references in one query: deliveries register hundreds at once."""
        self.ensure_one()
        sequence = self._aftersales_sequence(code).with_company(self)
        if sequence.implementation != "standard" or count == 1:
            return [sequence._next() for _i in range(count)]
        current = sequence._get_current_sequence()
        if current._name == "ir.sequence.date_range":
            pg_sequence = f"ir_sequence_{sequence.id:03d}_{current.id:03d}"
            sequence = sequence.with_context(ir_sequence_date_range=current.date_from)
        else:
            pg_sequence = f"ir_sequence_{sequence.id:03d}"
        self.env.cr.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [pg_sequence, count])
        return [sequence.get_next_char(number) for (number,) in self.env.cr.fetchall()]

    def _aftersales_location(self, field, name, usage="internal"):
        """The company's location in ``field`` (defective parts, service centres), created
        the first time beside its first warehouse's stock: not inside it, so its parts are
        never reserved for a delivery or a van."""
        self.ensure_one()
        company = self.sudo()
        if company[field]:
            return company[field]
        warehouse = (
            self.env["stock.warehouse"].sudo().search([("company_id", "=", company.id)], limit=1)
        )
        location = (
            self.env["stock.location"]
            .sudo()
            .create(
                {
                    "name": name,
                    "usage": usage,
                    "location_id": warehouse.view_location_id.id,
                    "company_id": company.id,
                }
            )
        )
        company[field] = location
        return location

    def _aftersales_escalation_manager(self):
        """Who receives SLA breaches: the configured manager, else the first manager."""
        self.ensure_one()
        return self.aftersales_escalation_manager_id or self._aftersales_first_manager()

    def _aftersales_warranty_responsible(self):
        """Who follows up expiring warranties sold by nobody in particular."""
        self.ensure_one()
        return self.aftersales_warranty_responsible_id or self._aftersales_first_manager()

    def _aftersales_first_manager(self):
        self.ensure_one()
        managers = self.env.ref("aftersales_service.group_aftersales_manager").users
        return managers.filtered(
            lambda u: not u._is_superuser() and self in u.company_ids and u.active
        ).sorted("id")[:1]
