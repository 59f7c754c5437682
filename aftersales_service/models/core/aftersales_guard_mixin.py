from odoo import _, api, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.models import MAGIC_COLUMNS
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# Who may write what, from the lowest rung up; each rung may also write what the rungs
# below it may. "assignee" is a technician on a record of their own (their ticket, their
# visit, their evaluation); other technicians, analysts and portal users write nothing.
WRITE_ROLES = ("assignee", "user", "manager")

ROLE_GROUPS = {
    "technician": "aftersales_service.group_aftersales_technician",
    "user": "aftersales_service.group_aftersales_user",
    "manager": "aftersales_service.group_aftersales_manager",
    "analyst": "aftersales_service.group_aftersales_analyst",
}

# Odoo's own threads, followers, activities and ratings: their models check them.
FRAMEWORK_FIELDS = frozenset(
    {
        "message_follower_ids",
        "message_ids",
        "website_message_ids",
        "message_main_attachment_id",
        "activity_ids",
        "activity_summary",
        "activity_type_id",
        "message_partner_ids",
        "rating_ids",
        *MAGIC_COLUMNS,
    }
)


class AftersalesGuardMixin(models.AbstractModel):
    """One write guard for every After-Sales model.

    Each model declares, through hooks that every file of the model extends with super():

    - ``_aftersales_method_fields()``: what only the model's methods change (statuses,
      timestamps, approvals, signatures, computed figures). A direct create or write by
      anyone but the superuser is refused;
    - ``_aftersales_create_only_fields()``: what is given at creation and fixed after;
    - ``_aftersales_writable_fields()``: what each role may write directly, by rung of
      WRITE_ROLES; anything not listed is refused (default deny).

    Methods check the caller's role and the record's state, then write method fields with
    ``_aftersales_method_write``. ACLs and record rules still apply on top.
    """

    _name = "aftersales.guard.mixin"
    _description = "After-Sales Write Guard"

    # ------------------------------------------------------------------
    # Hooks: extend with super()
    # ------------------------------------------------------------------

    def _aftersales_method_fields(self):
        """Fields only methods change. Stored computed fields are figures the model
        derives itself (deadlines, durations, totals): never typed in."""
        computed = {
            name
            for name, field in self._fields.items()
            if field.store and field.compute and not field.inverse and field.readonly
        }
        # Portal links are shared with the customer by Odoo's own methods.
        return computed | ({"access_token", "alias_id"} & set(self._fields))

    def _aftersales_create_only_fields(self):
        """Fields given at creation and fixed afterwards: a record never moves to
        another company."""
        return {"company_id"}

    def _aftersales_writable_fields(self):
        """{rung: fields} that a role may write directly (see WRITE_ROLES)."""
        return {role: set() for role in WRITE_ROLES}

    def _aftersales_is_locked(self):
        """Whether the record is decided (approved, confirmed, signed, closed...): then
        only _aftersales_locked_writable_fields() may still change."""
        self.ensure_one()
        return False

    def _aftersales_locked_writable_fields(self):
        return set()

    def _aftersales_assignee_users(self):
        """The users for whom this record is their own work (its technicians)."""
        return self.env["res.users"]

    # ------------------------------------------------------------------
    # Roles and reasons: one helper for every model
    # ------------------------------------------------------------------

    @api.model
    def _aftersales_has_role(self, role):
        """Whether the current user has the After-Sales ``role`` (see ROLE_GROUPS)."""
        return self.env.su or self.env.user.has_group(ROLE_GROUPS[role])

    @api.model
    def _aftersales_check_role(self, role, what):
        if not self._aftersales_has_role(role):
            raise AccessError(_("You are not allowed to %(what)s.", what=what))

    def _aftersales_is_assignee(self):
        """Whether the current user is one of the technicians of every record."""
        user = self.env.user
        return all(user in record._aftersales_assignee_users() for record in self)

    def _aftersales_check_assignee_or(self, role, what):
        """The record's own technician, or a user with ``role``, may do ``what``."""
        if self._aftersales_has_role(role) or self._aftersales_is_assignee():
            return
        raise AccessError(
            _(
                "Only the technicians of %(records)s or a user with more rights may %(what)s.",
                records=", ".join(self.mapped("display_name")),
                what=what,
            )
        )

    def _aftersales_owner_only_fields(self):
        """Fields only the record's own technician writes (their objection, their
        comment), not the roles above them."""
        return set()

    def _aftersales_allowed_fields(self, ignore_lock=False):
        """The fields the current user may write directly on this record."""
        self.ensure_one()
        # Status and owners are read as they are, whatever the user may read: the guard
        # only ever refuses.
        record = self.sudo()
        rung = self._aftersales_group_rung()
        allowed = set()
        if rung in ("user", "manager"):
            allowed = self._aftersales_fields_writable_by(rung)
            allowed -= self._aftersales_owner_only_fields()
        if rung and self.env.user in record._aftersales_assignee_users():
            allowed |= self._aftersales_writable_fields()["assignee"]
        if not ignore_lock and record._aftersales_is_locked():
            allowed &= self._aftersales_locked_writable_fields()
        return allowed

    @api.model
    def _aftersales_group_rung(self):
        """The highest rung of WRITE_ROLES the user's groups give; a technician's
        "assignee" rung counts on their own records only."""
        if self._aftersales_has_role("manager"):
            return "manager"
        if self._aftersales_has_role("user"):
            return "user"
        if self._aftersales_has_role("technician"):
            return "assignee"
        return False

    @api.model
    def _aftersales_require_reason(self, reason, doing):
        """The reason, stripped; a clear error when it is empty."""
        reason = (reason or "").strip() if isinstance(reason, str) else ""
        if not reason:
            raise UserError(_("Give a reason when %(doing)s.", doing=doing))
        return reason

    def _aftersales_schedule_activity(self, act_type_xmlid, user, summary=None, **values):
        """Schedule an activity for ``user`` that reads in their language, not in the
        language of whoever triggered it. ``summary`` is a function of an environment in
        the user's language (``lambda env: env._("...")``); by default the activity type's
        own summary."""
        user_env = self.with_context(lang=user.lang or self.env.lang).env
        activity_type = user_env.ref(act_type_xmlid)
        text = summary(user_env) if summary else activity_type.summary or activity_type.name
        return self.activity_schedule(act_type_xmlid, summary=text, user_id=user.id, **values)

    # ------------------------------------------------------------------
    # The guard
    # ------------------------------------------------------------------

    def _aftersales_fields_writable_by(self, role):
        if not role:
            return set()
        writable = self._aftersales_writable_fields()
        rungs = WRITE_ROLES[: WRITE_ROLES.index(role) + 1]
        return set().union(*(writable[rung] for rung in rungs))

    def _aftersales_field_labels(self, names):
        return ", ".join(
            sorted(
                self._fields[name]._description_string(self.env) if name in self._fields else name
                for name in names
            )
        )

    def _aftersales_check_values(self, vals):
        """Selections and dates in words: a bad value is a ValidationError, not a
        traceback."""
        for name, value in vals.items():
            field = self._fields.get(name)
            if field is None or value in (False, None):
                continue
            label = field._description_string(self.env)
            if field.type == "selection" and isinstance(field.selection, list):
                if value not in dict(field.selection):
                    raise ValidationError(
                        _(
                            "%(value)s is not a valid %(field)s. Choose one of: %(choices)s.",
                            value=value,
                            field=label,
                            choices=", ".join(str(v) for _k, v in field.selection),
                        )
                    )
            elif field.type in ("date", "datetime"):
                try:
                    field.convert_to_cache(value, self)
                except (ValueError, TypeError) as error:
                    raise ValidationError(
                        _("%(value)s is not a valid date for %(field)s.", value=value, field=label)
                    ) from error

    @api.model
    def _aftersales_check_create(self, vals_list):
        if self.env.su:
            return
        method_fields = self._aftersales_method_fields()
        # Record rules decide which records a technician may create (their own visit's
        # parts); here they get the assignee's fields.
        allowed = self._aftersales_create_only_fields() | self._aftersales_fields_writable_by(
            self._aftersales_group_rung()
        )
        for vals in vals_list:
            given = set(vals) - FRAMEWORK_FIELDS
            given_method = given & method_fields
            forged = set()
            if given_method:
                # A form may send a method field with the field's own default: harmless.
                # create() dropped the caller's context defaults of method fields.
                defaults = self.default_get(list(given_method))
                forged = {
                    name
                    for name in given_method
                    if vals[name] != defaults.get(name, False)
                    and (vals[name] or self._fields[name].compute)
                }
            if forged:
                raise AccessError(
                    _(
                        "%(fields)s of a new %(model)s are set by its buttons, not typed in.",
                        fields=self._aftersales_field_labels(forged),
                        model=self._description,
                    )
                )
            denied = given - method_fields - allowed
            if denied:
                raise AccessError(
                    _(
                        "You are not allowed to set %(fields)s when creating a %(model)s.",
                        fields=self._aftersales_field_labels(denied),
                        model=self._description,
                    )
                )
            self._aftersales_check_values(vals)

    def _aftersales_check_write(self, vals):
        if self.env.su or not self:
            return
        given = set(vals) - FRAMEWORK_FIELDS
        method_only = given & self._aftersales_method_fields()
        if method_only:
            raise AccessError(
                _(
                    "%(fields)s of %(records)s change only through its buttons, not by "
                    "editing them.",
                    fields=self._aftersales_field_labels(method_only),
                    records=self._aftersales_records_label(),
                )
            )
        create_only = given & self._aftersales_create_only_fields()
        if create_only:
            raise AccessError(
                _(
                    "%(fields)s of %(records)s are set when it is created and cannot change.",
                    fields=self._aftersales_field_labels(create_only),
                    records=self._aftersales_records_label(),
                )
            )
        for record in self:
            denied = given - record._aftersales_allowed_fields()
            if not denied:
                continue
            if not (given - record._aftersales_allowed_fields(ignore_lock=True)):
                raise UserError(
                    _(
                        "%(record)s is decided: %(fields)s can no longer change.",
                        record=record.display_name,
                        fields=record._aftersales_field_labels(denied),
                    )
                )
            raise AccessError(
                _(
                    "You are not allowed to change %(fields)s of %(record)s.",
                    fields=record._aftersales_field_labels(denied),
                    record=record.display_name or record._description,
                )
            )
        self._aftersales_check_values(vals)

    def _aftersales_records_label(self):
        return ", ".join(self.mapped(lambda r: r.display_name or r._description)[:5])

    def _aftersales_lock(self, shared=()):
        """Lock these records' rows for a decision, then re-read them: call before any
        check.

        A second decision on the same rows waits for the first to commit. The ``shared``
        recordsets (rows the decisions spend: a company's fund, a quotation) are touched by
        a no-op update. Odoo runs in REPEATABLE READ: when a concurrent decision changed
        one of these rows and committed after this transaction began, PostgreSQL raises a
        serialization failure and Odoo retries the request on a fresh snapshot, where the
        checks see the other decision."""
        if not self:
            return
        self.check_access("write")
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE id IN %s ORDER BY id FOR NO KEY UPDATE",
                SQL.identifier(self._table),
                tuple(self.ids),
            )
        )
        self._aftersales_lock_shared(*shared)
        self.invalidate_recordset()

    @api.model
    def _aftersales_lock_shared(self, *shared):
        """Touch the ``shared`` rows by a no-op update: a concurrent transaction that
        touched them too waits, then is retried on a fresh snapshot (see _aftersales_lock)."""
        for records in shared:
            if not records:
                continue
            # NO KEY UPDATE: foreign keys to these rows (KEY SHARE) are not blocked.
            self.env.cr.execute(
                SQL(
                    "UPDATE %(table)s SET id = id WHERE id IN ("
                    "SELECT id FROM %(table)s WHERE id IN %(ids)s ORDER BY id FOR NO KEY UPDATE)",
                    table=SQL.identifier(records._table),
                    ids=tuple(records.ids),
                )
            )
            records.invalidate_recordset()

    # ------------------------------------------------------------------
    # Lifecycle steps (models with a state)
    # ------------------------------------------------------------------

    # What a refused step calls the record: "Ticket AS2026-00012 is closed and ...".
    _aftersales_state_noun = _lt("Record")

    def _check_state(self, allowed, verb):
        """Refuse the step ``verb`` unless every record is in one of the ``allowed`` states."""
        for record in self:
            if record.state not in allowed:
                raise UserError(
                    _(
                        "%(noun)s %(name)s is %(state)s and cannot be %(verb)s.",
                        noun=self.env._(record._aftersales_state_noun),
                        name=record.display_name,
                        state=record._state_label(),
                        verb=verb,
                    )
                )

    def _state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _transition(self, vals):
        """A lifecycle step's write: its status and timestamps are method fields."""
        self._aftersales_method_write(vals)

    def _aftersales_method_write(self, vals):
        """Write method fields: the calling method checked the role and the state; the
        user must still be allowed to write the records (ACL and record rules)."""
        self.check_access("write")
        return self.sudo().write(vals)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model
    def _aftersales_context_without_method_defaults(self):
        """The context, less the default_<field> keys of method fields: a kanban column
        (or an RPC caller) does not decide a status or a timestamp."""
        method_fields = self._aftersales_method_fields()
        return {
            key: value
            for key, value in self.env.context.items()
            if not (key.startswith("default_") and key[len("default_") :] in method_fields)
        }

    @api.model_create_multi
    def create(self, vals_list):
        model = self
        if not self.env.su:
            # Keys must be removed, not set: the whole context is replaced on purpose.
            model = self.with_context(self._aftersales_context_without_method_defaults())  # pylint: disable=context-overridden
            model._aftersales_check_create(vals_list)
        return super(AftersalesGuardMixin, model).create(vals_list)

    def write(self, vals):
        self._aftersales_check_write(vals)
        return super().write(vals)
