from odoo import fields, models

from ..models.qualification.aftersales_qualification import LEVELS


class AftersalesKpiReport(models.Model):
    _inherit = "aftersales.kpi.report"  # pylint: disable=consider-merging-classes-inherited

    _depends = {
        "aftersales.ticket": ["dispatch_qualification_level", "dispatched_unqualified"],
    }

    qualification_level = fields.Selection(
        LEVELS,
        readonly=True,
        help="The technician's qualification level for the product when dispatched.",
    )
    unqualified_dispatch_count = fields.Integer(
        string="Dispatched Unqualified",
        readonly=True,
        help="Tickets dispatched by hand to a technician without a valid qualification.",
    )

    def _select(self):
        return (
            super()._select()
            + """,
                t.dispatch_qualification_level AS qualification_level,
                CASE WHEN t.dispatched_unqualified THEN 1 ELSE 0 END AS unqualified_dispatch_count
        """
        )
