from odoo import api, fields, models

from .aftersales_ticket_sla import SLA_TARGETS


# What a breached row says: which promise failed and by how much, in a file of its own.
class AftersalesTicketSlaBreach(models.Model):
    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited

    sla_breach_summary = fields.Char(
        string="SLA Breach",
        compute="_compute_sla_breach_summary",
        groups="base.group_user",
        help="The targets that failed and how late (clock time) they were met, or are by now.",
    )

    @api.depends(
        *(f"sla_{target}_state" for target in SLA_TARGETS),
        *(f"deadline_{target}" for target in SLA_TARGETS),
        "date_accepted",
        "date_arrival",
        "date_resolved",
    )
    def _compute_sla_breach_summary(self):
        now = fields.Datetime.now()
        labels = {
            "response": self.env._("Response"),
            "arrival": self.env._("Arrival"),
            "resolution": self.env._("Resolution"),
        }
        for ticket in self:
            lines = []
            for target in SLA_TARGETS:
                if ticket[f"sla_{target}_state"] != "failed":
                    continue
                deadline = ticket[f"deadline_{target}"]
                late = (ticket._sla_reached_at(target) or now) - deadline
                lines.append(
                    self.env._(
                        "%(target)s late by %(duration)s",
                        target=labels[target],
                        duration=ticket._sla_duration_label(late.total_seconds() / 60),
                    )
                )
            ticket.sla_breach_summary = "; ".join(lines)

    def _sla_duration_label(self, minutes):
        """3 h 20 min, 45 min, 2 d 4 h: what a dispatcher reads at a glance."""
        minutes = max(1, round(minutes))
        days, rest = divmod(minutes, 24 * 60)
        hours, minutes = divmod(rest, 60)
        if days:
            return self.env._("%(days)s d %(hours)s h", days=days, hours=hours)
        if hours:
            return self.env._("%(hours)s h %(minutes)s min", hours=hours, minutes=minutes)
        return self.env._("%(minutes)s min", minutes=minutes)
