from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class AftersalesPenaltyCenter(models.Model):
    """Penalties of a service centre: the same rules as a technician's, charged to the
    centre (they are deducted from its settlement)."""

    _inherit = "aftersales.penalty"  # pylint: disable=consider-merging-classes-inherited

    employee_id = fields.Many2one(required=False)
    service_center_id = fields.Many2one(
        "res.partner",
        string="Service Centre",
        index="btree_not_null",
        tracking=True,
        domain="[('aftersales_is_service_center', '=', True)]",
        help="The service centre charged, for its dispatched jobs (instead of an employee).",
    )

    # rule_id is always given: the check also runs when neither is.
    @api.constrains("employee_id", "service_center_id", "rule_id")
    def _check_employee_or_center(self):
        for penalty in self:
            if bool(penalty.employee_id) == bool(penalty.service_center_id):
                raise ValidationError(
                    _("A penalty or reward goes either to an employee or to a service centre.")
                )

    def init(self):
        res = super().init()
        # Once per rule, centre and ticket/visit, like the employees' automatic records.
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS aftersales_penalty_center_auto_once
            ON aftersales_penalty
               (rule_id, service_center_id, COALESCE(ticket_id, 0), COALESCE(visit_id, 0))
            WHERE auto_raised AND service_center_id IS NOT NULL
            """
        )
        return res

    @api.depends("service_center_id")
    def _compute_display_name(self):
        res = super()._compute_display_name()
        for penalty in self.filtered("service_center_id"):
            penalty.display_name = (
                f"{penalty.rule_id.name or ''} - {penalty.service_center_id.name or ''}"
            )
        return res

    @api.model
    def _raise_auto_center(self, rule, center, ticket, visit=None, reason=None):
        """A draft record the system detected for a centre, once per rule and ticket/visit."""
        if not rule or not center:
            return self.browse()
        existing = self.search_count(
            [
                ("auto_raised", "=", True),
                ("rule_id", "=", rule.id),
                ("service_center_id", "=", center.id),
                ("ticket_id", "=", ticket.id),
                ("visit_id", "=", visit.id if visit else False),
            ]
        )
        if existing:
            return self.browse()
        return self.create(
            {
                "service_center_id": center.id,
                "rule_id": rule.id,
                "company_id": ticket.company_id.id,
                "ticket_id": ticket.id,
                "visit_id": visit.id if visit else False,
                "reason": reason,
                "auto_raised": True,
            }
        )

    def _aftersales_create_only_fields(self):
        return super()._aftersales_create_only_fields() | {"service_center_id"}
