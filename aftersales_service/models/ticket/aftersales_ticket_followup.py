import re
from datetime import timedelta

from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext
from odoo.tools.mail import email_split_and_format


# The ticket is large: service levels and follow-up live in files of their own.
class AftersalesTicketFollowup(models.Model):
    """After resolution: repeat repairs (二返), automatic closing, return visits (回访),
    and tickets created from e-mails."""

    _inherit = "aftersales.ticket"  # pylint: disable=consider-merging-classes-inherited

    is_repeat_repair = fields.Boolean(
        string="Repeat Repair",
        compute="_compute_repeat_repair",
        store=True,
        index=True,
        groups="base.group_user",
        help="The same serial had a ticket resolved shortly before this one, or this ticket "
        "was reopened.",
    )
    repeat_of_ticket_id = fields.Many2one(
        "aftersales.ticket",
        string="Repeat Of",
        compute="_compute_repeat_repair",
        store=True,
        groups="base.group_user",
    )
    followup_outcome = fields.Selection(
        [
            ("satisfied", "Satisfied"),
            ("not_satisfied", "Not Satisfied"),
            ("unreachable", "Unreachable"),
        ],
        string="Return Visit",
        readonly=True,
        copy=False,
        tracking=True,
        groups="base.group_user",
    )
    followup_attempt_count = fields.Integer(
        string="Return Visit Attempts",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="Calls made to the customer for the return visit, unanswered ones included.",
    )
    # Internal notes of the call: not for the customer's eyes on the portal.
    followup_note = fields.Text(
        string="Return Visit Notes", readonly=True, copy=False, groups="base.group_user"
    )

    def _aftersales_method_fields(self):
        # The return-visit wizard records the customer's answer.
        return super()._aftersales_method_fields() | {
            "followup_outcome",
            "followup_note",
            "followup_attempt_count",
        }

    def _rating_get_operator(self):
        # The technician is the one rated: their KPIs read these ratings.
        return self.technician_user_id.partner_id

    @api.depends("lot_id", "create_date", "reopen_count", "company_id")
    def _compute_repeat_repair(self):
        for ticket in self:
            previous = self.browse()
            if ticket.lot_id:
                days = ticket.company_id.aftersales_repeat_repair_days
                reference = ticket.create_date or fields.Datetime.now()
                previous = self.sudo().search(
                    [
                        ("lot_id", "=", ticket.lot_id.id),
                        ("id", "!=", ticket._origin.id or 0),
                        ("date_resolved", ">=", reference - timedelta(days=days)),
                        ("date_resolved", "<=", reference),
                    ],
                    order="date_resolved desc",
                    limit=1,
                )
            ticket.repeat_of_ticket_id = previous
            ticket.is_repeat_repair = bool(previous) or ticket.reopen_count > 0

    # ------------------------------------------------------------------
    # Closing and return visits
    # ------------------------------------------------------------------

    def action_close(self):
        res = super().action_close()
        self._schedule_followup()
        return res

    def _schedule_followup(self, days=None):
        for ticket in self.sudo():
            user = self.env.user
            if user._is_superuser() or user.share:
                user = ticket.company_id._aftersales_escalation_manager()
            if not user:
                continue
            delay = ticket.company_id.aftersales_followup_days if days is None else days
            ticket._aftersales_schedule_activity(
                "aftersales_service.mail_activity_ticket_followup",
                user,
                date_deadline=fields.Date.context_today(ticket) + timedelta(days=delay),
            )

    def action_record_followup(self, outcome, note=None):
        """Record the return visit; an unhappy customer reopens the ticket. An unreachable
        customer is called again: each call is one attempt, the next one is planned."""
        self._aftersales_check_role("user", _("record return visits"))
        outcomes = dict(self._fields["followup_outcome"]._description_selection(self.env))
        if outcome not in outcomes:
            raise UserError(_("Choose the outcome of the return visit."))
        self._check_state(["closed", "resolved"], _("followed up"))
        answered = self.filtered(lambda t: t.followup_outcome == "satisfied")
        if answered:
            raise UserError(
                _(
                    "The customer of %(tickets)s already answered the return visit.",
                    tickets=", ".join(answered.mapped("name")),
                )
            )
        activity_type = self.env.ref("aftersales_service.mail_activity_ticket_followup")
        for ticket in self:
            attempt = ticket.followup_attempt_count + 1
            ticket._transition({"followup_outcome": outcome, "followup_attempt_count": attempt})
            if note:
                ticket.sudo().followup_note = note
            ticket.activity_ids.filtered(
                lambda a: a.activity_type_id == activity_type
            ).sudo().action_feedback(feedback=outcomes[outcome])
            ticket.message_post(
                body=_(
                    "Return visit, attempt %(attempt)s: %(outcome)s.%(note)s",
                    attempt=attempt,
                    outcome=outcomes[outcome],
                    note=f" {note}" if note else "",
                )
            )
            if outcome == "unreachable":
                # Call again tomorrow.
                ticket._schedule_followup(days=1)
            elif outcome == "not_satisfied":
                ticket.action_reopen(note or _("Customer not satisfied at the return visit."))
        return True

    def action_open_followup_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Return Visit"),
            "res_model": "aftersales.ticket.followup",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    @api.model
    def _cron_auto_close(self):
        """Resolved tickets the customer did not answer close by themselves (idempotent)."""
        closed = self.browse()
        for company in self.env["res.company"].search([("aftersales_auto_close_days", ">", 0)]):
            limit = fields.Datetime.now() - timedelta(days=company.aftersales_auto_close_days)
            tickets = self.sudo().search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "resolved"),
                    ("customer_confirmed", "=", False),
                    ("date_resolved", "<=", limit),
                ]
            )
            for ticket in tickets:
                ticket.action_close()
                ticket.message_post(
                    body=_(
                        "Closed automatically: the customer did not answer within %s days.",
                        company.aftersales_auto_close_days,
                    )
                )
            closed |= tickets
        return closed

    # ------------------------------------------------------------------
    # E-mail intake
    # ------------------------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """An e-mail to a team's alias becomes a ticket of the sender's customer: the
        reference comes from the sequence, the subject and body are the request, and a
        serial of the customer's named in the text fills the product and serial."""
        values = dict(custom_values or {})
        partner = self.env["res.partner"].browse(msg_dict.get("author_id") or [])
        if not partner:
            email_from = msg_dict.get("email_from") or msg_dict.get("from") or ""
            partner = self._mail_find_partner_from_emails(
                email_split_and_format(email_from)[:1], force_create=True
            )
            partner = partner[0] if partner else self.env["res.partner"]
            if partner:
                # mail.thread posts the e-mail with this author.
                msg_dict["author_id"] = partner.id
        subject = (msg_dict.get("subject") or "").strip()
        body = msg_dict.get("body") or ""
        # mail.thread names the record after the subject: the sequence does instead.
        values["name"] = _("New")
        values.setdefault("partner_id", partner.id)
        values.setdefault("channel", "email")
        values.setdefault(
            "description",
            Markup("<p><strong>%s</strong></p>%s")
            % (escape(subject or _("No Subject")), Markup(body)),
        )
        if partner and "lot_id" not in values:
            lot = self._lot_named_in(partner, f"{subject}\n{html2plaintext(body)}")
            if lot:
                values["lot_id"] = lot.id
                values.setdefault("product_id", lot.product_id.id)
        ticket = super(
            AftersalesTicketFollowup, self.with_context(mail_create_nosubscribe=False)
        ).message_new(msg_dict, custom_values=values)
        if partner:
            ticket.message_subscribe(partner_ids=partner.ids)
        return ticket

    @api.model
    def _lot_named_in(self, partner, text):
        """The customer's serial number written in ``text`` as a word of its own, when
        exactly one of their serials is."""
        words = {word.casefold() for word in re.findall(r"[\w./-]+", text or "")}
        words |= {word.strip("./-") for word in words}
        lots = partner._aftersales_owned_lots().filtered(
            lambda lot: lot.name and lot.name.casefold() in words
        )
        return lots if len(lots) == 1 else self.env["stock.lot"]
