from odoo import fields, models


class ResGroups(models.Model):
    _inherit = "res.groups"

    aftersales_approval_limit = fields.Float(
        string="Fee Waiver Limit",
        help="Largest fee waiver or discount members of this group may approve, in company "
        "currency.",
    )
