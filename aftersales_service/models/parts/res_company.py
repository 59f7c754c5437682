from odoo import _, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    aftersales_defective_return_days = fields.Integer(
        string="Defective Parts Due In (Days)",
        default=7,
        help="Days a technician has to bring a removed part back before it is overdue.",
    )
    aftersales_van_rule_months = fields.Integer(
        string="Van Min/Max From (Months)",
        default=3,
        help="Months of parts consumption the proposed van reordering rules are based on.",
    )
    aftersales_defective_location_id = fields.Many2one(
        "stock.location",
        string="Defective Parts Location",
        help="Where removed parts are kept until inspected; created in the first warehouse "
        "when empty.",
    )

    def _aftersales_defective_location(self):
        """The company's Defective Parts location, where removed parts wait for inspection."""
        return self._aftersales_location("aftersales_defective_location_id", _("Defective Parts"))
