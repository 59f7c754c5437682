from random import randint

from odoo import fields, models


class AftersalesTag(models.Model):
    _name = "aftersales.tag"
    _description = "After-Sales Ticket Tag"
    _inherit = ["aftersales.guard.mixin"]
    _order = "name"

    def _default_color(self):
        return randint(1, 11)

    name = fields.Char(required=True, translate=True)
    color = fields.Integer(default=lambda self: self._default_color())
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("name_uniq", "unique (name)", "A ticket tag with this name already exists."),
    ]

    # ------------------------------------------------------------------
    # Write guard (aftersales.guard.mixin)
    # ------------------------------------------------------------------

    def _aftersales_writable_fields(self):
        writable = super()._aftersales_writable_fields()
        writable["user"] |= {
            "name",
            "active",
            "color",
        }
        return writable
