from odoo import _, fields, models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    aftersales_consignment_location_id = fields.Many2one(
        "stock.location",
        string="Consignment Stock",
        readonly=True,
        copy=False,
        groups="aftersales_service.group_aftersales_user,"
        "aftersales_service.group_aftersales_analyst",
        help="Our parts kept at the service centre: parts requests ship there, the parts "
        "used on its visits come out of it.",
    )

    def action_create_consignment_location(self):
        """The centre's consignment location, under the company's "Service Centres"
        location; the existing one when there is one."""
        self.env["aftersales.guard.mixin"]._aftersales_check_role(
            "user", _("create consignment stock for service centres")
        )
        # Customer service may not edit contacts: the role is the check.
        self.check_access("read")
        for partner in self.sudo():
            if not partner.aftersales_is_service_center:
                raise UserError(
                    _(
                        "%s is not a service centre: tick “Service Centre” on the contact first.",
                        partner.display_name,
                    )
                )
            if partner.aftersales_consignment_location_id:
                continue
            company = self.env.company
            partner.aftersales_consignment_location_id = (
                self.env["stock.location"]
                .sudo()
                .create(
                    {
                        "name": partner.name,
                        "usage": "internal",
                        "location_id": company._aftersales_center_location().id,
                        "company_id": company.id,
                    }
                )
            )
            partner.message_post(
                body=_(
                    "Consignment stock %s created.",
                    partner.aftersales_consignment_location_id.display_name,
                )
            )
        return True

    def action_view_consignment_stock(self):
        self.ensure_one()
        self.env["aftersales.guard.mixin"]._aftersales_check_role(
            "user", _("open consignment stock")
        )
        location = self.sudo().aftersales_consignment_location_id
        if not location:
            raise UserError(_("%s has no consignment stock yet.", self.display_name))
        return {
            "type": "ir.actions.act_window",
            "name": _("Consignment Stock"),
            "res_model": "stock.quant",
            "view_mode": "list",
            "views": [(False, "list")],
            "domain": [("location_id", "child_of", location.id)],
            "context": {"search_default_productgroup": 1},
        }
