from odoo import api, fields, models

# A technician's tickets that still need them.
BUSY_STATES = ("assigned", "in_progress", "waiting")
BUSY_VISIT_STATES = ("planned", "on_the_way", "on_site")


class AftersalesTicketDispatch(models.Model):
    """Who to dispatch to: the team's technicians, how busy each one is and whether they
    can still be on site in time."""

    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited

    def _dispatch_team(self):
        """The team the tickets go to: the contract's team, else the ticket's own."""
        teams = self.mapped(lambda t: t.sudo().contract_id.team_id or t.team_id)
        return teams if len(teams) == 1 else self.env["aftersales.team"]

    @api.model
    def _dispatch_technicians(self, team, company):
        """The technicians who may take the tickets: the team's, or without a team the
        members of the company's teams (the technicians, not every employee)."""
        if team:
            return team.member_ids.filtered("user_id")
        teams = self.env["aftersales.team"].search([("company_id", "=", company.id)])
        members = teams.member_ids.filtered("user_id")
        if members:
            return members
        technicians = self.env.ref("aftersales_service.group_aftersales_technician").sudo().users
        return self.env["hr.employee"].search(
            [("user_id", "in", technicians.ids), ("company_id", "=", company.id)]
        )

    def _dispatch_arrival_deadline(self, deadline=None):
        """When a technician must be on site: the earliest SLA arrival deadline of the
        tickets, else the dispatch deadline given."""
        deadlines = [d for d in self.sudo().mapped("deadline_arrival") if d]
        return min(deadlines) if deadlines else deadline or False

    def _dispatch_candidates(self, technicians, deadline=None):
        """One line per technician, least busy first: open tickets, when they are free
        from (end of their last planned visit, or now) and whether that is before the
        arrival deadline."""
        now = fields.Datetime.now()
        arrival = self._dispatch_arrival_deadline(deadline)
        Ticket = self.env["aftersales.ticket"].sudo()
        open_counts = dict(
            Ticket._read_group(
                [("technician_id", "in", technicians.ids), ("state", "in", BUSY_STATES)],
                ["technician_id"],
                ["__count"],
            )
        )
        busy_until = dict(
            self.env["aftersales.visit"]
            .sudo()
            ._read_group(
                [
                    ("technician_ids", "in", technicians.ids),
                    ("state", "in", BUSY_VISIT_STATES),
                    ("scheduled_end", ">", now),
                ],
                ["technician_ids"],
                ["scheduled_end:max"],
            )
        )
        candidates = []
        for technician in technicians:
            free_from = max(now, busy_until.get(technician) or now)
            candidates.append(
                {
                    "technician_id": technician.id,
                    "open_ticket_count": open_counts.get(technician, 0),
                    "free_from": free_from,
                    "arrival_deadline": arrival,
                    "can_meet_arrival": not arrival or free_from <= arrival,
                }
            )
        candidates.sort(
            key=lambda c: (not c["can_meet_arrival"], c["open_ticket_count"], c["free_from"])
        )
        return candidates
