from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL


class AftersalesEscalationMixin(models.AbstractModel):
    """Deadline escalation in batches, shared by tickets and complaints (and whatever else
    warns people when a deadline or a threshold is reached).

    The due records are taken with SKIP LOCKED, so two cron workers never escalate the
    same record; the run then writes its flags, activities and chatter notes in bulk."""

    _name = "aftersales.escalation.mixin"
    _description = "After-Sales Deadline Escalation"

    @api.model
    def _aftersales_take_due(self, next_check_field, open_states, now, limit):
        """The open records whose next check (an indexed datetime) has come, locked."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM %(table)s
                 WHERE %(check)s <= %(now)s AND state IN %(states)s
                 ORDER BY %(check)s
                 LIMIT %(limit)s
                 FOR UPDATE SKIP LOCKED
                """,
                table=SQL.identifier(self._table),
                check=SQL.identifier(next_check_field),
                now=now,
                states=tuple(open_states),
                limit=limit,
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _aftersales_apply_escalation(self, flags, activities, notes):
        """Write what one run decided.

        :param flags: {record: {flag field names to set}}
        :param activities: [(record, user, summary)] to-dos due today
        :param notes: {record id: [text]} joined into one bold chatter note per record
        """
        by_flags = {}
        for record, names in flags.items():
            if names:
                key = tuple(sorted(names))
                by_flags[key] = by_flags.get(key, self.browse()) | record
        # One write per combination of flags: their recomputations run in batch.
        for names, records in by_flags.items():
            records.sudo().write(dict.fromkeys(names, True))
        if activities:
            activity_type = self.env.ref("mail.mail_activity_data_todo")
            model_id = self.env["ir.model"]._get_id(self._name)
            today = fields.Date.context_today(self)
            # quick_update: no e-mail per activity; the assignees see them in their
            # activity menu.
            self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
                [
                    {
                        "res_model_id": model_id,
                        "res_id": record.id,
                        "activity_type_id": activity_type.id,
                        "summary": summary,
                        "user_id": user.id,
                        "date_deadline": today,
                    }
                    for record, user, summary in activities
                ]
            )
        if notes:
            self.browse(list(notes)).sudo()._message_log_batch(
                bodies={
                    record_id: Markup("<strong>%s</strong>") % " ".join(lines)
                    for record_id, lines in notes.items()
                }
            )
