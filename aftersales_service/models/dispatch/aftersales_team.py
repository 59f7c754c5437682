from odoo import fields, models


class AftersalesTeam(models.Model):
    _inherit = "aftersales.team"  # pylint: disable=consider-merging-classes-inherited

    dispatch_mode = fields.Selection(
        [
            ("manual", "Manual"),
            ("suggest", "Suggest"),
            ("automatic", "Automatic on Creation"),
        ],
        default="suggest",
        required=True,
        tracking=True,
        help="Manual: the dispatcher picks without suggestions. Suggest: the dispatch "
        "dialog ranks the qualified technicians with the reasons. Automatic: a new ticket "
        "goes to the best qualified technician of the team, who still has to accept; a "
        "refusal moves it to the next one.",
    )
    dispatch_balance = fields.Selection(
        [("balanced", "Balanced"), ("round_robin", "Round Robin")],
        string="Automatic Dispatch",
        default="balanced",
        required=True,
        help="Balanced: the best-ranked qualified technician, fewest open tickets first. "
        "Round robin: the qualified technicians in turn.",
    )
    dispatch_last_employee_id = fields.Many2one(
        "hr.employee",
        string="Last Dispatched To",
        readonly=True,
        copy=False,
        help="Where round-robin dispatch continues.",
    )

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["manager"] |= {"dispatch_mode", "dispatch_balance"}
        return writable

    def _aftersales_method_fields(self):
        return super()._aftersales_method_fields() | {"dispatch_last_employee_id"}
