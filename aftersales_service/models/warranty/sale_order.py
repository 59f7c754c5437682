from odoo import _, fields, models
from odoo.exceptions import UserError


class SaleOrder(models.Model):
    _inherit = "sale.order"

    aftersales_ticket_id = fields.Many2one(
        "aftersales.ticket", string="Service Ticket", index="btree_not_null", copy=False
    )
    aftersales_warranty_ids = fields.One2many(
        "aftersales.warranty", "sale_order_id", string="Warranty Registrations"
    )
    aftersales_warranty_count = fields.Integer(compute="_compute_aftersales_warranty_count")
    aftersales_extension_to_assign = fields.Boolean(
        compute="_compute_aftersales_extension_to_assign"
    )

    def _compute_aftersales_warranty_count(self):
        counts = dict(
            self.env["aftersales.warranty"]._read_group(
                [("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"]
            )
        )
        for order in self:
            order.aftersales_warranty_count = counts.get(order, 0)

    def _compute_aftersales_extension_to_assign(self):
        for order in self:
            order.aftersales_extension_to_assign = any(
                line.aftersales_extension_remaining
                for line in order.order_line.filtered("aftersales_is_extended_warranty")
            )

    aftersales_contract_count = fields.Integer(compute="_compute_aftersales_contract_count")

    def _compute_aftersales_contract_count(self):
        counts = dict(
            self.env["aftersales.contract"]
            .sudo()
            ._read_group([("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"])
        )
        for order in self:
            order.aftersales_contract_count = counts.get(order, 0)

    def action_view_aftersales_contracts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.action_aftersales_contract"
        )
        action["domain"] = [("sale_order_id", "=", self.id)]
        return action

    aftersales_waiver_ids = fields.One2many(
        "aftersales.fee.waiver",
        "sale_order_id",
        string="Fee Waivers",
        groups="aftersales_service.group_aftersales_user,aftersales_service.group_aftersales_analyst",
    )
    aftersales_waiver_count = fields.Integer(
        compute="_compute_aftersales_waiver_count",
        groups="aftersales_service.group_aftersales_user,aftersales_service.group_aftersales_analyst",
    )

    def _compute_aftersales_waiver_count(self):
        counts = dict(
            self.env["aftersales.fee.waiver"]._read_group(
                [("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"]
            )
        )
        for order in self:
            order.aftersales_waiver_count = counts.get(order, 0)

    def action_request_aftersales_fee_waiver(self):
        """From a service quotation: a waiver request for its ticket, on this quotation."""
        self.ensure_one()
        if not self.aftersales_ticket_id:
            raise UserError(
                _(
                    "Quotation %s is not linked to an after-sales ticket: fee waivers reduce "
                    "the quotations of service tickets.",
                    self.name,
                )
            )
        if self.state == "cancel":
            raise UserError(_("Quotation %s is cancelled: there is nothing to waive.", self.name))
        return self.env["aftersales.fee.waiver"]._action_request(self.aftersales_ticket_id, self)

    def action_view_aftersales_waivers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_service.action_aftersales_fee_waiver"
        )
        action["domain"] = [("sale_order_id", "=", self.id)]
        action["context"] = {
            "default_ticket_id": self.aftersales_ticket_id.id,
            "default_sale_order_id": self.id,
        }
        return action

    def action_confirm(self):
        res = super().action_confirm()
        self.order_line._aftersales_create_contracts()
        unclear = self.order_line._aftersales_apply_extension()
        if unclear and len(self) == 1:
            return unclear[:1]._aftersales_open_extension_wizard()
        return res

    def action_view_aftersales_warranties(self):
        self.ensure_one()
        return self.env["aftersales.warranty"]._action_view_warranties(
            [("sale_order_id", "=", self.id)]
        )

    def action_assign_aftersales_extensions(self):
        self.ensure_one()
        lines = self.order_line.filtered("aftersales_extension_remaining")
        if not lines:
            return True
        return lines[:1]._aftersales_open_extension_wizard()
