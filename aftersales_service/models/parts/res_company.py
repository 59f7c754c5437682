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
        """The company's Defective Parts location, created beside its warehouse stock (not
        inside it: broken parts are never reserved for a delivery or a van)."""
        self.ensure_one()
        company = self.sudo()
        if company.aftersales_defective_location_id:
            return company.aftersales_defective_location_id
        warehouse = (
            self.env["stock.warehouse"].sudo().search([("company_id", "=", company.id)], limit=1)
        )
        location = (
            self.env["stock.location"]
            .sudo()
            .create(
                {
                    "name": _("Defective Parts"),
                    "usage": "internal",
                    "location_id": warehouse.view_location_id.id,
                    "company_id": company.id,
                }
            )
        )
        company.aftersales_defective_location_id = location
        return location
