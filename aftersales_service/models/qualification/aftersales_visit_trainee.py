from odoo import _, api, fields, models
from odoo.exceptions import UserError


class AftersalesVisitTrainee(models.Model):
    """A customer's operator trained by the technician at handover, who signs for it."""

    _name = "aftersales.visit.trainee"
    _description = "Customer Operator Trained on a Visit"
    _inherit = ["aftersales.guard.mixin"]
    _order = "visit_id, id"

    visit_id = fields.Many2one("aftersales.visit", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="visit_id.company_id", store=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        related="visit_id.ticket_id.commercial_partner_id",
        store=True,
        index=True,
    )
    product_id = fields.Many2one(related="visit_id.product_id", string="Product")
    date = fields.Datetime(related="visit_id.scheduled_start", string="Trained On")
    name = fields.Char(string="Operator", required=True)
    position = fields.Char()
    signature = fields.Binary(copy=False, attachment=True)

    @api.model_create_multi
    def create(self, vals_list):
        visits = self.env["aftersales.visit"].browse([v.get("visit_id") for v in vals_list])
        visits.exists()._check_trainees_open()
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_signed(self):
        self.visit_id._check_trainees_open()

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_create_only_fields(self):
        return super()._aftersales_create_only_fields() | {"visit_id"}

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["assignee"] |= {"name", "position", "signature"}
        return writable

    def _aftersales_assignee_users(self):
        return self.visit_id.technician_ids.user_id

    def _aftersales_is_locked(self):
        self.ensure_one()
        return self.visit_id._aftersales_is_locked()


class AftersalesVisit(models.Model):
    _inherit = "aftersales.visit"  # pylint: disable=consider-merging-classes-inherited

    def _check_trainees_open(self):
        for visit in self:
            if visit._aftersales_is_locked():
                raise UserError(
                    _(
                        "Visit %s is signed or cancelled: its trained operators can no longer "
                        "change.",
                        visit.name,
                    )
                )
