from collections import defaultdict
from datetime import datetime, timedelta

import pytz

from odoo import Command, api, fields, models
from odoo.addons.resource.models.utils import Intervals
from odoo.exceptions import UserError
from odoo.tools import format_date, format_datetime

from ..qualification.aftersales_qualification import (
    LEVEL_RANK,
    LEVELS,
    QUALIFIED_LEVELS,
    best_valid,
)
from ..ticket.aftersales_ticket_dispatch import BUSY_STATES, BUSY_VISIT_STATES

# Points of a suggestion: a qualified team member of the customer's zone who can be on
# site in time comes first; each open ticket costs a little, so equals share the load.
POINTS_LEVEL = 10  # per level: certified 20, expert 30
POINTS_TEAM = 30
POINTS_ZONE_MATCH = 20
POINTS_ZONE_UNKNOWN = 10
POINTS_OFF_DUTY = -40
POINTS_LATE = -50
POINTS_PER_OPEN_TICKET = -5
EMERGENCY = "3"


class AftersalesTicket(models.Model):
    """Who should go: technicians ranked by qualification, team, zone, working time,
    workload and arrival deadline; automatic dispatch on creation for the teams that
    want it; a dispatch to an unqualified technician needs a reason and is counted."""

    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited

    dispatched_unqualified = fields.Boolean(
        readonly=True,
        copy=False,
        tracking=True,
        help="Dispatched by hand to a technician without a valid qualification for the "
        "product, with a reason.",
    )
    dispatch_override_reason = fields.Text(
        string="Unqualified Dispatch Reason", readonly=True, copy=False
    )
    dispatch_auto = fields.Boolean(string="Dispatched Automatically", readonly=True, copy=False)
    dispatch_qualification_level = fields.Selection(
        LEVELS,
        string="Qualification Level",
        readonly=True,
        copy=False,
        help="The technician's level for the product when the ticket was dispatched.",
    )
    dispatch_refused_ids = fields.Many2many(
        "hr.employee",
        "aftersales_ticket_refused_employee_rel",
        "ticket_id",
        "employee_id",
        string="Refused By",
        readonly=True,
        copy=False,
    )

    # ------------------------------------------------------------------
    # Facts about the technicians: a few queries for all of them
    # ------------------------------------------------------------------

    def _aftersales_dispatch_window(self, deadline=None):
        """From now to when the technician must be on site (SLA arrival deadline, else
        the dispatch deadline, else the company's default)."""
        now = fields.Datetime.now()
        end = self._dispatch_arrival_deadline(fields.Datetime.to_datetime(deadline))
        if not end:
            ticket = self[:1]
            end = ticket.date_deadline or (ticket._default_deadline(now) if ticket else now)
        return now, max(end, now + timedelta(hours=1))

    @api.model
    def _aftersales_dispatch_facts(self, technicians, start, end):
        """What the ranking needs about ``technicians`` between ``start`` and ``end``:
        open tickets (one _read_group), planned visits, personal leaves (one search) and
        working hours (one batch per calendar)."""
        technicians = technicians.sudo()
        ids = technicians.ids
        now = fields.Datetime.now()
        open_counts = {
            employee.id: count
            for employee, count in self.env["aftersales.ticket"]
            .sudo()
            ._read_group(
                [("technician_id", "in", ids), ("state", "in", BUSY_STATES)],
                ["technician_id"],
                ["__count"],
            )
        }
        Visit = self.env["aftersales.visit"].sudo()
        busy_until = {
            employee.id: end_date
            for employee, end_date in Visit._read_group(
                [
                    ("technician_ids", "in", ids),
                    ("state", "in", BUSY_VISIT_STATES),
                    ("scheduled_end", ">", now),
                ],
                ["technician_ids"],
                ["scheduled_end:max"],
            )
        }
        busy_now = {
            employee.id
            for (employee,) in Visit._read_group(
                [
                    ("technician_ids", "in", ids),
                    "|",
                    ("state", "in", ("on_the_way", "on_site")),
                    "&",
                    ("state", "=", "planned"),
                    "&",
                    ("scheduled_start", "<=", now),
                    ("scheduled_end", ">", now),
                ],
                ["technician_ids"],
            )
        }
        resource_of = dict(zip(ids, technicians.mapped("resource_id.id"), strict=True))
        # Personal leaves: one search for everybody.
        personal = defaultdict(list)
        on_leave_until = {}
        start_utc, end_utc = pytz.utc.localize(start), pytz.utc.localize(end)
        for leave in (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search_fetch(
                [
                    ("resource_id", "in", list(resource_of.values())),
                    ("time_type", "=", "leave"),
                    ("date_from", "<", end),
                    ("date_to", ">", start),
                ],
                ["resource_id", "date_from", "date_to"],
            )
        ):
            rid = leave.resource_id.id
            on_leave_until[rid] = max(on_leave_until.get(rid, leave.date_to), leave.date_to)
            personal[rid].append(
                (
                    max(pytz.utc.localize(leave.date_from), start_utc),
                    min(pytz.utc.localize(leave.date_to), end_utc),
                    leave,
                )
            )
        # Working time: once per calendar and time zone, less the calendar's public
        # holidays; then each technician's own leaves.
        attendance_hours, work_hours = {}, {}
        window_hours = (end - start).total_seconds() / 3600
        groups = defaultdict(list)
        for employee in technicians:
            groups[(employee.resource_calendar_id, employee.resource_id.tz)].append(
                employee.resource_id.id
            )
        for (calendar, tz_name), resource_ids in groups.items():
            if not calendar:
                # No calendar: flexible hours, unless on leave.
                for rid in resource_ids:
                    attendance_hours[rid] = window_hours
                    work_hours[rid] = 0.0 if rid in on_leave_until else window_hours
                continue
            tz = pytz.timezone(tz_name or calendar.tz or "UTC")
            attendance = calendar._attendance_intervals_batch(start_utc, end_utc, tz=tz)[False]
            holidays = calendar._leave_intervals_batch(start_utc, end_utc, tz=tz)[False]
            base = attendance - holidays
            base_attendance, base_work = _hours(attendance), _hours(base)
            for rid in resource_ids:
                attendance_hours[rid] = base_attendance
                own = personal.get(rid)
                work_hours[rid] = _hours(base - Intervals(own)) if own else base_work
        return {
            "start": start,
            "end": end,
            "now": now,
            "today": fields.Date.context_today(self),
            "open_counts": open_counts,
            "busy_until": busy_until,
            "busy_now": busy_now,
            "resource_of": resource_of,
            "on_leave_until": on_leave_until,
            "attendance_hours": attendance_hours,
            "work_hours": work_hours,
            "qualifications": {},  # per product, filled by _aftersales_qualifications_for
            "technician_ids": set(ids),
        }

    @api.model
    def _aftersales_qualifications_for(self, facts, product, company):
        """(required, {employee id: [qualifications]}): whether anybody of the company is
        qualified (or was) for ``product``, and the technicians' qualifications for it."""
        if not product:
            return False, {}
        key = (product.id, company.id)
        if key not in facts["qualifications"]:
            qualifications = (
                self.env["aftersales.qualification"]
                .sudo()
                .search_fetch(
                    [
                        ("company_id", "=", company.id),
                        *self.env["aftersales.qualification"]._domain_for_product(product),
                    ],
                    ["employee_id", "level", "date_valid_until", "product_id", "product_categ_id"],
                )
            )
            by_employee = defaultdict(list)
            for qualification in qualifications:
                if qualification.employee_id.id in facts["technician_ids"]:
                    by_employee[qualification.employee_id.id].append(qualification)
            facts["qualifications"][key] = (bool(qualifications), by_employee)
        return facts["qualifications"][key]

    # ------------------------------------------------------------------
    # Ranking
    # ------------------------------------------------------------------

    def _aftersales_rank_candidates(self, facts, technicians, team=None, extra_load=None):
        """One dict per technician, best first: eligible, qualified, level, score and the
        reasons in words."""
        self.ensure_one()
        ticket = self.sudo()
        team = team if team is not None else ticket._dispatch_team()
        qualifications = self._aftersales_qualifications_for(
            facts, ticket.product_id, ticket.company_id
        )
        ranking = _Ranking(ticket, facts, team, qualifications, extra_load=extra_load or {})
        candidates = [ranking.rank(employee) for employee in technicians.sudo()]
        candidates.sort(
            key=lambda c: (
                not c["eligible"],
                -c["score"],
                c["open_ticket_count"],
                c["free_from"],
                c["technician_id"],
            )
        )
        for sequence, candidate in enumerate(candidates, start=1):
            candidate["sequence"] = sequence
        return candidates

    @api.model
    def _aftersales_dispatch_pool(self, company, team):
        """The technicians a suggestion ranks: the members of the company's teams (and of
        ``team``), read with only the fields the ranking needs."""
        # Without the active test, reading the members fetches no employee: the search
        # below drops archived ones.
        Team = self.env["aftersales.team"].sudo().with_context(active_test=False)
        teams = Team.search([("company_id", "=", company.id), ("active", "=", True)])
        member_ids = (teams | team.sudo().with_context(active_test=False)).member_ids.ids
        if not member_ids:
            return self._dispatch_technicians(team, company).sudo()
        return (
            self.env["hr.employee"]
            .sudo()
            .search_fetch(
                [("id", "in", member_ids), ("user_id", "!=", False)],
                [
                    "name",
                    "user_id",
                    "resource_id",
                    "resource_calendar_id",
                    "aftersales_home_zone_id",
                ],
            )
        )

    def _aftersales_suggest_technicians(self, limit=None, deadline=None, include_excluded=False):
        """The technicians to dispatch this ticket to, best first, with the reasons: the
        company's technicians (the ticket's team ranks first). Without
        ``include_excluded``, only the eligible ones (qualified, not on leave, not refused,
        for an emergency not busy)."""
        self.ensure_one()
        self._aftersales_check_role("user", self.env._("see dispatch suggestions"))
        ticket = self.sudo()
        team = ticket._dispatch_team()
        technicians = self._aftersales_dispatch_pool(ticket.company_id, team)
        start, end = ticket._aftersales_dispatch_window(deadline)
        facts = self._aftersales_dispatch_facts(technicians, start, end)
        ranked = ticket._aftersales_rank_candidates(facts, technicians, team=team)
        if not include_excluded:
            ranked = [c for c in ranked if c["eligible"]]
        return ranked[:limit] if limit else ranked

    # ------------------------------------------------------------------
    # Automatic dispatch
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        automatic = tickets.filtered(
            lambda t: t.state == "new" and t.sudo()._dispatch_team().dispatch_mode == "automatic"
        )
        if automatic:
            # The team's rule dispatches, whoever created the ticket (portal, e-mail).
            automatic.sudo()._aftersales_auto_dispatch()
        return tickets

    def _aftersales_auto_dispatch(self):
        """Dispatch each ticket to the best qualified, eligible technician of its team
        (balanced: best rank, counting what this batch already gave; round robin: the
        next one in turn). The technician still accepts; nobody eligible: a note."""
        groups = defaultdict(self.browse)
        for ticket in self:
            groups[ticket._dispatch_team()] |= ticket
        for team, tickets in groups.items():
            if not team:
                continue
            technicians = team.member_ids.filtered("user_id")
            start = fields.Datetime.now()
            end = max(t._aftersales_dispatch_window()[1] for t in tickets)
            facts = self._aftersales_dispatch_facts(technicians, start, end)
            load = defaultdict(int)
            last = team.dispatch_last_employee_id
            for ticket in tickets:
                ranked = ticket._aftersales_rank_candidates(
                    facts, technicians, team=team, extra_load=load
                )
                eligible = [c for c in ranked if c["eligible"] and c["qualified"]]
                if not eligible:
                    ticket.message_post(
                        body=self.env._(
                            "No qualified technician of %s is available: dispatch it by hand.",
                            team.name,
                        )
                    )
                    continue
                chosen = eligible[0]
                if team.dispatch_balance == "round_robin":
                    in_turn = sorted(eligible, key=lambda c: c["technician_id"])
                    chosen = next((c for c in in_turn if c["technician_id"] > last.id), in_turn[0])
                technician = self.env["hr.employee"].browse(chosen["technician_id"])
                ticket.with_context(aftersales_auto_dispatch=True).action_assign(technician)
                load[technician.id] += 1
                last = technician
            if last != team.dispatch_last_employee_id:
                team._aftersales_method_write({"dispatch_last_employee_id": last.id})
        return True

    def action_refuse(self, reason):
        refused_by = {ticket: ticket.technician_id for ticket in self}
        res = super().action_refuse(reason)
        # Checked by the refusal: the refusing technician no longer sees the ticket.
        for ticket in self.sudo():
            # A service centre's refusal has no technician to remember.
            if refused_by[ticket]:
                ticket._aftersales_method_write(
                    {"dispatch_refused_ids": [Command.link(refused_by[ticket].id)]}
                )
        automatic = self.sudo().filtered(lambda t: t._dispatch_team().dispatch_mode == "automatic")
        if automatic:
            automatic._aftersales_auto_dispatch()
        return res

    # ------------------------------------------------------------------
    # Dispatch: qualification check and figures
    # ------------------------------------------------------------------

    def _aftersales_qualification_of(self, technician):
        """(required, level, qualified) of ``technician`` for this ticket's product."""
        self.ensure_one()
        ticket = self.sudo()
        product = ticket.product_id
        if not product:
            return False, False, True
        Qualification = self.env["aftersales.qualification"].sudo()
        if not Qualification._aftersales_exists_for(product, ticket.company_id):
            return False, False, True
        domain = [
            ("company_id", "=", ticket.company_id.id),
            *Qualification._domain_for_product(product),
        ]
        own = Qualification.search([*domain, ("employee_id", "=", technician.id)])
        best = best_valid(own, fields.Date.context_today(self))
        level = best.level if best else False
        return True, level, level in QUALIFIED_LEVELS

    def action_assign(self, technician, deadline=None, override_reason=None):
        """Also: a technician without a valid qualification for the product needs a
        reason (``override_reason``, or the dispatch dialog's), which is logged and
        counted."""
        self._aftersales_check_role("user", self.env._("dispatch tickets"))
        employee = self.env["hr.employee"].browse(
            technician.id if isinstance(technician, models.BaseModel) else technician
        )
        reason = override_reason or self.env.context.get("aftersales_dispatch_override_reason")
        reason = reason.strip() if isinstance(reason, str) else ""
        checks = {}
        if employee:
            checks = {ticket: ticket._aftersales_qualification_of(employee) for ticket in self}
            unqualified = [t for t, (required, _l, ok) in checks.items() if required and not ok]
            # An unknown technician: the dispatch itself says so.
            if unqualified and not reason and not self.env.su and employee.exists():
                raise UserError(
                    self.env._(
                        "%(technician)s holds no valid qualification for %(product)s: give a "
                        "reason to dispatch %(tickets)s anyway.",
                        technician=employee.sudo().name,
                        product=unqualified[0].sudo().product_id.display_name,
                        tickets=", ".join(t.name for t in unqualified),
                    )
                )
        res = super().action_assign(technician, deadline=deadline)
        auto = bool(self.env.context.get("aftersales_auto_dispatch"))
        for ticket, (required, level, qualified) in checks.items():
            unqualified = required and not qualified
            values = {
                "dispatched_unqualified": unqualified,
                "dispatch_override_reason": reason if unqualified else False,
                "dispatch_auto": auto,
                "dispatch_qualification_level": level or False,
            }
            # Most dispatches change none of these: no write, no tracking.
            if any(ticket[name] != value for name, value in values.items()):
                ticket._aftersales_method_write(values)
            if unqualified:
                ticket.message_post(
                    body=self.env._(
                        "Dispatched to %(technician)s without a valid qualification for "
                        "%(product)s: %(reason)s",
                        technician=employee.sudo().name,
                        product=ticket.sudo().product_id.display_name,
                        reason=reason or self.env._("by the system"),
                    )
                )
        return res

    def _aftersales_method_fields(self):
        return super()._aftersales_method_fields() | {
            "dispatched_unqualified",
            "dispatch_override_reason",
            "dispatch_auto",
            "dispatch_qualification_level",
            "dispatch_refused_ids",
        }


def _hours(intervals):
    if not intervals:
        return 0.0
    return sum((stop - start).total_seconds() / 3600 for start, stop, _records in intervals)


class _Ranking:
    """The rules of a suggestion for one ticket, applied to one technician at a time.
    Reasons are translated and dates formatted once for all technicians."""

    def __init__(self, ticket, facts, team, qualifications, *, extra_load):
        """``qualifications``: (required, {employee id: qualifications for the product})."""
        self.env = ticket.env
        self.ticket = ticket
        self.facts = facts
        self.team = team
        self.team_members = (
            set(team.with_context(active_test=False).member_ids.ids) if team else set()
        )
        self.refused = set(ticket.dispatch_refused_ids.ids)
        self.customer_zone = (
            ticket.partner_id.commercial_partner_id.aftersales_zone_id
            or ticket.partner_id.aftersales_zone_id
        )
        self.required, self.qualifications = qualifications
        self.extra_load = extra_load
        self.subject = ticket.product_id.display_name
        self.levels = dict(
            ticket._fields["dispatch_qualification_level"]._description_selection(self.env)
        )
        self.emergency = ticket.priority == EMERGENCY
        self.arrival_text = self.fmt(facts["end"])
        self._translated = {}

    def _(self, message, *args, **kwargs):
        key = (message, args, tuple(sorted(kwargs.items())))
        if key not in self._translated:
            self._translated[key] = self.env._(message, *args, **kwargs)
        return self._translated[key]

    def fmt(self, value):
        formatted = self.__dict__.setdefault("_formatted", {})
        if value not in formatted:
            formatted[value] = (
                format_datetime(self.env, value, dt_format="short")
                if isinstance(value, datetime)
                else format_date(self.env, value)
            )
        return formatted[value]

    def rank(self, employee):
        candidate = {
            "technician_id": employee.id,
            "eligible": True,
            "score": 0,
            "reasons": [],
            "team_member": employee.id in self.team_members,
        }
        self._qualification(employee, candidate)
        if employee.id in self.refused:
            candidate["eligible"] = False
            candidate["reasons"].append(self._("Refused this ticket"))
        self._team_and_zone(employee, candidate)
        self._working_time(employee, candidate)
        self._workload(employee, candidate)
        return candidate

    def _qualification(self, employee, candidate):
        _ = self._
        candidate.update(qualified=not self.required, qualification_level=False)
        if not self.required:
            return
        own = self.qualifications.get(employee.id, [])
        best = best_valid(own, self.facts["today"])
        level = best.level if best else False
        candidate["qualification_level"] = level
        if level in QUALIFIED_LEVELS:
            candidate["qualified"] = True
            candidate["score"] += POINTS_LEVEL * LEVEL_RANK[level]
            reason = _(
                "%(level)s for %(subject)s until %(date)s",
                level=self.levels[level],
                subject=(best.product_id or best.product_categ_id).display_name,
                date=self.fmt(best.date_valid_until),
            )
        elif best:
            reason = _("Trainee only for %s", self.subject)
        elif own:
            last = max(own, key=lambda q: q.date_valid_until)
            reason = _(
                "Qualification for %(subject)s expired on %(date)s",
                subject=self.subject,
                date=self.fmt(last.date_valid_until),
            )
        else:
            reason = _("Not qualified for %s", self.subject)
        candidate["eligible"] = candidate["qualified"]
        candidate["reasons"].append(reason)

    def _team_and_zone(self, employee, candidate):
        _, reasons = self._, candidate["reasons"]
        if candidate["team_member"]:
            candidate["score"] += POINTS_TEAM
            reasons.append(_("Member of %s", self.team.name))
        elif self.team:
            reasons.append(_("Not in %s", self.team.name))
        home_zone, customer_zone = employee.aftersales_home_zone_id, self.customer_zone
        candidate["zone_match"] = bool(home_zone and home_zone == customer_zone)
        if candidate["zone_match"]:
            candidate["score"] += POINTS_ZONE_MATCH
            reasons.append(_("Home zone %s, as the customer", home_zone.name))
        elif home_zone and customer_zone:
            reasons.append(
                _(
                    "Home zone %(home)s, customer in %(zone)s",
                    home=home_zone.name,
                    zone=customer_zone.name,
                )
            )
        else:
            candidate["score"] += POINTS_ZONE_UNKNOWN
            reasons.append(_("No home zone") if not home_zone else _("Customer zone unknown"))

    def _working_time(self, employee, candidate):
        _, facts = self._, self.facts
        rid = facts["resource_of"][employee.id]
        work = facts["work_hours"].get(rid, 0.0)
        candidate["work_hours"] = work
        if rid in facts["on_leave_until"] and work <= 0:
            candidate["eligible"] = False
            reason = _("On leave until %s", self.fmt(facts["on_leave_until"][rid]))
        elif facts["attendance_hours"].get(rid, 0.0) <= 0:
            candidate["score"] += POINTS_OFF_DUTY
            reason = _("Not working before %s", self.arrival_text)
        else:
            reason = _("Works %(hours).1f h before %(date)s", hours=work, date=self.arrival_text)
        candidate["reasons"].append(reason)
        if self.emergency and employee.id in facts["busy_now"]:
            candidate["eligible"] = False
            candidate["reasons"].append(_("Busy on a visit: an emergency needs a free technician"))

    def _workload(self, employee, candidate):
        _, facts = self._, self.facts
        open_count = facts["open_counts"].get(employee.id, 0) + self.extra_load.get(employee.id, 0)
        candidate["open_ticket_count"] = open_count
        candidate["score"] += POINTS_PER_OPEN_TICKET * open_count
        candidate["reasons"].append(_("Open tickets: %s", open_count))
        now, arrival = facts["now"], facts["end"]
        free_from = max(now, facts["busy_until"].get(employee.id) or now)
        candidate["free_from"] = free_from
        candidate["can_meet_arrival"] = free_from <= arrival and candidate["work_hours"] > 0
        if not candidate["can_meet_arrival"]:
            candidate["score"] += POINTS_LATE
            if free_from > arrival:
                candidate["reasons"].append(
                    _("Busy until %s: late for the arrival deadline", self.fmt(free_from))
                )
