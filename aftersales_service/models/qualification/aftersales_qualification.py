from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

LEVELS = [("trainee", "Trainee"), ("certified", "Certified"), ("expert", "Expert")]
LEVEL_RANK = {"trainee": 1, "certified": 2, "expert": 3}
# Levels that may take a ticket alone: a trainee goes with a certified technician.
QUALIFIED_LEVELS = ("certified", "expert")
# Days before the end of a qualification when its reminder is sent.
REMINDER_DAYS = 30


def best_valid(qualifications, day):
    """The highest-level of ``qualifications`` still valid on ``day``, else None."""
    return max(
        (q for q in qualifications if q.date_valid_until >= day),
        key=lambda q: LEVEL_RANK[q.level],
        default=None,
    )


class AftersalesQualification(models.Model):
    """What a technician may work on: a product category (and its sub-categories) or one
    product, at a level, until a date. An expired qualification qualifies for nothing."""

    _name = "aftersales.qualification"
    _description = "Technician Qualification"
    _inherit = ["mail.thread", "mail.activity.mixin", "aftersales.guard.mixin"]
    _order = "employee_id, date_valid_until desc, id"
    _check_company_auto = True

    employee_id = fields.Many2one(
        "hr.employee",
        string="Technician",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        ondelete="cascade",
    )
    user_id = fields.Many2one(related="employee_id.user_id", string="User", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    product_categ_id = fields.Many2one(
        "product.category",
        string="Product Category",
        index=True,
        tracking=True,
        help="Qualifies for the products of this category and of its sub-categories.",
    )
    product_id = fields.Many2one(
        "product.product",
        index=True,
        tracking=True,
        check_company=True,
        help="Qualifies for this product only.",
    )
    level = fields.Selection(LEVELS, required=True, default="certified", tracking=True)
    date_valid_until = fields.Date(string="Valid Until", required=True, tracking=True)
    certificate = fields.Binary(attachment=True, copy=False)
    certificate_filename = fields.Char()
    note = fields.Text()
    state = fields.Selection(
        [("valid", "Valid"), ("expired", "Expired")],
        compute="_compute_state",
        search="_search_state",
    )
    training_id = fields.Many2one(
        "aftersales.training",
        string="From Training",
        readonly=True,
        copy=False,
        help="The training session that granted or last extended this qualification.",
    )
    date_reminded = fields.Date(
        string="Reminder Sent On",
        readonly=True,
        copy=False,
        help="When the expiry reminder was sent: once per validity.",
    )

    @api.depends("date_valid_until")
    @api.depends_context("tz")
    def _compute_state(self):
        today = fields.Date.context_today(self)
        for qualification in self:
            valid = qualification.date_valid_until and qualification.date_valid_until >= today
            qualification.state = "valid" if valid else "expired"

    def _search_state(self, operator, value):
        if operator not in ("=", "!=") or value not in ("valid", "expired"):
            raise ValidationError(_("Search qualifications as valid or expired."))
        valid = (value == "valid") == (operator == "=")
        today = fields.Date.context_today(self)
        return [("date_valid_until", ">=" if valid else "<", today)]

    @api.depends("employee_id", "product_id", "product_categ_id", "level")
    def _compute_display_name(self):
        levels = dict(self._fields["level"]._description_selection(self.env))
        for qualification in self:
            subject = qualification.product_id or qualification.product_categ_id
            qualification.display_name = " - ".join(
                part
                for part in (
                    qualification.employee_id.name,
                    subject.display_name,
                    levels.get(qualification.level),
                )
                if part
            )

    @api.constrains("product_id", "product_categ_id")
    def _check_subject(self):
        for qualification in self:
            if bool(qualification.product_id) == bool(qualification.product_categ_id):
                raise ValidationError(
                    _(
                        "Qualification of %s: choose either a product category or a product.",
                        qualification.employee_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # Matching
    # ------------------------------------------------------------------

    def _covers(self, product):
        """Whether this qualification is for ``product`` (its own or an ancestor
        category)."""
        self.ensure_one()
        if self.product_id:
            return self.product_id == product
        categ = product.categ_id
        return bool(categ) and (
            categ == self.product_categ_id
            or (categ.parent_path or "").startswith(self.product_categ_id.parent_path or "-")
        )

    @api.model
    def _domain_for_product(self, product):
        """The qualifications that are about ``product``, valid or not."""
        return [
            "|",
            ("product_id", "=", product.id),
            ("product_categ_id", "parent_of", product.categ_id.ids),
        ]

    @api.model
    def _aftersales_exists_for(self, product, company):
        """Whether anybody of ``company`` is (or was) qualified for ``product``: then a
        dispatch needs a qualified technician. One query, on every dispatch."""
        self.flush_model(["company_id", "product_id", "product_categ_id"])
        self.env["product.category"].flush_model(["parent_path"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT 1
                  FROM aftersales_qualification q
                  JOIN product_product product ON product.id = %(product)s
                  JOIN product_template tmpl ON tmpl.id = product.product_tmpl_id
                  JOIN product_category categ ON categ.id = tmpl.categ_id
             LEFT JOIN product_category q_categ ON q_categ.id = q.product_categ_id
                 WHERE q.company_id = %(company)s
                   AND (q.product_id = product.id
                        OR starts_with(categ.parent_path, q_categ.parent_path))
                 LIMIT 1
                """,
                product=product.id,
                company=company.id,
            )
        )
        return bool(rows)

    # ------------------------------------------------------------------
    # Expiry reminders
    # ------------------------------------------------------------------

    @api.model
    def _cron_send_expiry_reminders(self):
        """Once per qualification and validity: an activity for the technician's manager
        (else the technician) when it ends within REMINDER_DAYS days."""
        today = fields.Date.context_today(self)
        due = self.search(
            [
                ("date_reminded", "=", False),
                ("date_valid_until", ">=", today),
                ("date_valid_until", "<=", today + relativedelta(days=REMINDER_DAYS)),
            ]
        )
        for qualification in due:
            employee = qualification.employee_id
            responsible = employee.parent_id.user_id or employee.user_id
            if responsible:
                qualification._aftersales_schedule_activity(
                    "mail.mail_activity_data_todo",
                    responsible,
                    summary=lambda env: env._("Renew a qualification"),
                    note=_(
                        "The qualification %(qualification)s ends on %(date)s: plan a "
                        "training or an exam.",
                        qualification=qualification.display_name,
                        date=qualification.date_valid_until,
                    ),
                    date_deadline=qualification.date_valid_until,
                )
            qualification._aftersales_method_write({"date_reminded": today})
        return len(due)

    def _aftersales_extend(self, level, date_valid_until, training):
        """A passed training: the higher level and the later end; a new reminder."""
        for qualification in self:
            values = {"training_id": training.id}
            if LEVEL_RANK[level] > LEVEL_RANK[qualification.level]:
                values["level"] = level
            if date_valid_until > qualification.date_valid_until:
                values["date_valid_until"] = date_valid_until
                values["date_reminded"] = False
            qualification._aftersales_method_write(values)

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_method_fields(self):
        return super()._aftersales_method_fields() | {"training_id", "date_reminded"}

    def _aftersales_create_only_fields(self):
        return super()._aftersales_create_only_fields() | {"employee_id"}

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["manager"] |= {
            "product_categ_id",
            "product_id",
            "level",
            "date_valid_until",
            "certificate",
            "certificate_filename",
            "note",
        }
        return writable

    def write(self, vals):
        # A renewed qualification is reminded again before its new end.
        if "date_valid_until" in vals and "date_reminded" not in vals:
            res = super().write(vals)
            self.sudo().filtered("date_reminded").write({"date_reminded": False})
            return res
        return super().write(vals)
