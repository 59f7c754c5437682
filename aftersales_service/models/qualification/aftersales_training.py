from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.translate import LazyTranslate

from .aftersales_qualification import LEVELS

_lt = LazyTranslate(__name__)


class AftersalesTraining(models.Model):
    """An internal training session: who trained whom on which products, how long, and
    who passed the exam. Marking it done grants or extends the passed attendees'
    qualifications."""

    _name = "aftersales.training"
    _description = "Technician Training Session"
    _aftersales_state_noun = _lt("Training")
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.guard.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Topic", required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    product_categ_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="The qualifications a passed attendee gets.",
    )
    trainer_id = fields.Many2one("hr.employee", check_company=True, tracking=True)
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    hours = fields.Float(string="Duration (hours)", required=True, default=8.0)
    level = fields.Selection(
        LEVELS,
        string="Level Granted",
        required=True,
        default="certified",
        help="The level a passed attendee reaches.",
    )
    validity_months = fields.Integer(
        string="Valid For (months)", default=24, help="From the session's date."
    )
    pass_score = fields.Float(string="Pass Mark", default=60.0)
    attendee_ids = fields.One2many(
        "aftersales.training.attendee", "training_id", string="Attendees"
    )
    qualification_ids = fields.One2many(
        "aftersales.qualification", "training_id", string="Qualifications Granted"
    )
    state = fields.Selection(
        [("draft", "Planned"), ("done", "Done"), ("cancelled", "Cancelled")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    note = fields.Html()

    @api.constrains("hours", "validity_months")
    def _check_hours(self):
        for training in self:
            if training.hours <= 0:
                raise ValidationError(_("Training %s needs a positive duration.", training.name))
            if training.validity_months <= 0:
                raise ValidationError(
                    _("Training %s needs a positive validity in months.", training.name)
                )

    def action_done(self):
        """The manager records the exam results: each passed attendee is qualified for
        the session's categories at its level (an existing qualification is extended)."""
        self._aftersales_check_role("manager", _("mark trainings done"))
        self._aftersales_lock()
        self._check_state(["draft"], _("marked done"))
        Qualification = self.env["aftersales.qualification"]
        for training in self:
            if not training.product_categ_ids:
                raise UserError(
                    _("Training %s: choose the product categories it qualifies for.", training.name)
                )
            passed = training.attendee_ids.filtered("passed")
            until = training.date + relativedelta(months=training.validity_months)
            existing = Qualification.search(
                [
                    ("employee_id", "in", passed.employee_id.ids),
                    ("product_categ_id", "in", training.product_categ_ids.ids),
                    ("company_id", "=", training.company_id.id),
                ]
            )
            for attendee in passed:
                for categ in training.product_categ_ids:
                    current = existing.filtered(
                        lambda q, a=attendee, c=categ: (
                            q.employee_id == a.employee_id and q.product_categ_id == c
                        )
                    )
                    if current:
                        current._aftersales_extend(training.level, until, training)
                        continue
                    Qualification.sudo().create(
                        {
                            "employee_id": attendee.employee_id.id,
                            "company_id": training.company_id.id,
                            "product_categ_id": categ.id,
                            "level": training.level,
                            "date_valid_until": until,
                            "training_id": training.id,
                        }
                    )
            training._transition({"state": "done"})
            training.message_post(
                body=_(
                    "Done: %(passed)s of %(total)s attendees passed.",
                    passed=len(passed),
                    total=len(training.attendee_ids),
                )
            )
        return True

    def action_cancel(self):
        self._aftersales_check_role("manager", _("cancel trainings"))
        self._check_state(["draft"], _("cancelled"))
        self._transition({"state": "cancelled"})
        return True

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_method_fields(self):
        return super()._aftersales_method_fields() | {"state", "qualification_ids"}

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["manager"] |= {
            "name",
            "product_categ_ids",
            "trainer_id",
            "date",
            "hours",
            "level",
            "validity_months",
            "pass_score",
            "attendee_ids",
            "note",
        }
        return writable

    def _aftersales_is_locked(self):
        self.ensure_one()
        return self.state != "draft"

    def _aftersales_locked_writable_fields(self):
        return {"note"}
