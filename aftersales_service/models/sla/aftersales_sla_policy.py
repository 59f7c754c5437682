from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..ticket.aftersales_ticket import PRIORITIES


class AftersalesSlaPolicy(models.Model):
    _name = "aftersales.sla.policy"
    _description = "SLA Policy"
    _inherit = ["aftersales.guard.mixin"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    contract_only = fields.Boolean(
        string="Contracts Only",
        help="Applies only to the tickets of maintenance contracts that name it, never as a "
        "general policy.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    # Conditions: an empty condition matches every ticket.
    team_ids = fields.Many2many("aftersales.team", string="Teams", check_company=True)
    category_ids = fields.Many2many("aftersales.category", string="Categories")
    priority_min = fields.Selection(
        PRIORITIES, string="From Priority", help="Tickets of this priority or higher."
    )
    partner_tag_ids = fields.Many2many("res.partner.category", string="Customer Tags")
    zone_ids = fields.Many2many("aftersales.zone", string="Zones")
    # Targets, in working hours of the calendar
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        required=True,
        default=lambda self: self.env.company.resource_calendar_id,
        help="Deadlines count only these hours, minus the calendar's public holidays and leaves.",
    )
    response_hours = fields.Float(string="Response (hours)", default=24.0)
    arrival_from_zone = fields.Boolean(
        default=True,
        help="Take the arrival target from the customer's service zone.",
    )
    arrival_hours = fields.Float(string="Arrival (hours)")
    resolution_hours = fields.Float(string="Resolution (hours)", default=72.0)
    warning_percent = fields.Float(
        string="Warn At (%)",
        default=80.0,
        help="The team leader is warned when this share of a target has elapsed.",
    )

    @api.constrains("response_hours", "arrival_hours", "resolution_hours", "arrival_from_zone")
    def _check_targets(self):
        for policy in self:
            if policy.response_hours <= 0 or policy.resolution_hours <= 0:
                raise ValidationError(
                    _("SLA policy %s needs positive response and resolution targets.", policy.name)
                )
            # Zero would silently mean "no arrival target": categories decide that.
            if not policy.arrival_from_zone and policy.arrival_hours <= 0:
                raise ValidationError(
                    _(
                        "SLA policy %s needs a positive arrival target, or the customer's "
                        "zone's target.",
                        policy.name,
                    )
                )

    @api.constrains("warning_percent")
    def _check_warning_percent(self):
        for policy in self:
            if not 0 < policy.warning_percent < 100:
                raise ValidationError(
                    _("The warning point of %s must be between 0 and 100 %%.", policy.name)
                )

    @api.constrains(
        "team_ids",
        "category_ids",
        "priority_min",
        "partner_tag_ids",
        "zone_ids",
        "sequence",
        "company_id",
        "active",
        "contract_only",
    )
    def _check_not_identical(self):
        # Contract-only policies are chosen by their contracts, never by matching.
        for policy in self.filtered(lambda p: p.active and not p.contract_only):
            twins = self.search(
                [
                    ("id", "!=", policy.id),
                    ("contract_only", "=", False),
                    ("company_id", "=", policy.company_id.id),
                    ("sequence", "=", policy.sequence),
                    ("priority_min", "=", policy.priority_min),
                ]
            ).filtered(lambda other, p=policy: other._conditions_key() == p._conditions_key())
            if twins:
                raise ValidationError(
                    _(
                        "SLA policies %(policy)s and %(twin)s have the same conditions and "
                        "sequence: one of them would never apply.",
                        policy=policy.name,
                        twin=twins[0].name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_calendar_given(vals)
        policies = super().create(vals_list)
        policies._rematch_tickets()
        return policies

    def write(self, vals):
        self._check_calendar_given(vals)
        res = super().write(vals)
        self._rematch_tickets()
        return res

    @api.model
    def _check_calendar_given(self, vals):
        if "calendar_id" in vals and not vals["calendar_id"]:
            raise ValidationError(
                _("An SLA policy needs working hours: its deadlines count only working time.")
            )

    @api.model
    def _rematch_all_tickets(self):
        self.search([("company_id", "!=", False)])._rematch_tickets()
        self.env.flush_all()

    def _rematch_tickets(self):
        """Tickets not accepted yet (or without a policy) follow policy changes."""
        Ticket = self.env["aftersales.ticket"].sudo()
        tickets = Ticket.search(
            [
                ("company_id", "in", self.company_id.ids),
                "|",
                ("state", "in", ("new", "assigned")),
                "&",
                ("sla_policy_id", "=", False),
                ("state", "in", Ticket._OPEN_STATES),
            ]
        )
        self.env.add_to_compute(Ticket._fields["sla_policy_id"], tickets)

    def _conditions_key(self):
        return (
            frozenset(self.team_ids.ids),
            frozenset(self.category_ids.ids),
            self.priority_min,
            frozenset(self.partner_tag_ids.ids),
            frozenset(self.zone_ids.ids),
        )

    def _specificity(self):
        return sum(
            bool(condition)
            for condition in (
                self.team_ids,
                self.category_ids,
                self.priority_min,
                self.partner_tag_ids,
                self.zone_ids,
            )
        )

    def _matches(self, ticket):
        self.ensure_one()
        partner = ticket.partner_id.commercial_partner_id
        return (
            not self.contract_only
            and (not self.team_ids or ticket.team_id in self.team_ids)
            and (not self.category_ids or ticket.category_id in self.category_ids)
            and (not self.priority_min or ticket.priority >= self.priority_min)
            and (
                not self.partner_tag_ids
                or bool(
                    self.partner_tag_ids & (partner.category_id | ticket.partner_id.category_id)
                )
            )
            and (not self.zone_ids or partner.aftersales_zone_id in self.zone_ids)
        )

    @api.model
    def _find_for_tickets(self, tickets):
        """Policy per ticket: the most specific matching one, then the lowest sequence."""
        policies = self.sudo().search([("company_id", "in", tickets.company_id.ids)])
        ranked = policies.sorted(lambda p: (-p._specificity(), p.sequence, p.id))
        return {
            ticket: next(
                (p for p in ranked if p.company_id == ticket.company_id and p._matches(ticket)),
                self.browse(),
            )
            for ticket in tickets
        }

    def _arrival_hours_for(self, partner):
        self.ensure_one()
        if not self.arrival_from_zone:
            return self.arrival_hours
        zone = partner.commercial_partner_id.aftersales_zone_id
        if zone and not zone.per_contract:
            return zone.arrival_hours
        return 0.0

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["manager"] |= {
            "name",
            "active",
            "sequence",
            "arrival_from_zone",
            "arrival_hours",
            "calendar_id",
            "category_ids",
            "contract_only",
            "partner_tag_ids",
            "priority_min",
            "resolution_hours",
            "response_hours",
            "team_ids",
            "warning_percent",
            "zone_ids",
        }
        return writable
