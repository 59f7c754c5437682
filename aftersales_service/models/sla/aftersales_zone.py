from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class AftersalesZone(models.Model):
    _name = "aftersales.zone"
    _description = "Service Zone"
    _inherit = ["aftersales.guard.mixin"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, help="The first matching zone wins.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    arrival_hours = fields.Float(
        string="Arrival Target (hours)",
        help="Hours from the call to the technician's check-in. Empty: per contract.",
    )
    per_contract = fields.Boolean(help="No standard arrival target: the customer's contract says.")
    zip_prefixes = fields.Char(
        string="ZIP Prefixes", help="Comma-separated beginnings of postal codes, e.g. 1000, 1001"
    )
    city_names = fields.Char(string="Cities", help="Comma-separated city names.")
    state_ids = fields.Many2many("res.country.state", string="States / Provinces")

    @api.constrains("arrival_hours", "per_contract")
    def _check_arrival_hours(self):
        for zone in self:
            if not zone.per_contract and zone.arrival_hours <= 0:
                raise ValidationError(
                    _("Zone %s needs a positive arrival target, or “per contract”.", zone.name)
                )

    @api.model
    def _match_partner(self, partner):
        """The zone of an address: ZIP prefix, then city, then state; zones in sequence."""
        if not (partner.zip or partner.city or partner.state_id):
            return self.browse()
        zones = self.search(
            ["|", ("company_id", "=", False), ("company_id", "in", self.env.companies.ids)]
        )
        zip_code = (partner.zip or "").replace(" ", "")
        city = (partner.city or "").strip().lower()
        for matcher in (
            lambda z: zip_code and any(zip_code.startswith(p) for p in z._split(z.zip_prefixes)),
            lambda z: city and city in [c.lower() for c in z._split(z.city_names)],
            lambda z: partner.state_id and partner.state_id in z.state_ids,
        ):
            for zone in zones:
                if matcher(zone):
                    return zone
        return self.browse()

    @staticmethod
    def _split(text):
        return [part.strip() for part in (text or "").split(",") if part.strip()]

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["manager"] |= {
            "name",
            "active",
            "arrival_hours",
            "city_names",
            "per_contract",
            "sequence",
            "state_ids",
            "zip_prefixes",
        }
        return writable
