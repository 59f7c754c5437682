from odoo import _, api, models
from odoo.exceptions import ValidationError


class RatingRating(models.Model):
    _inherit = "rating.rating"

    @api.constrains("rating", "res_model", "consumed")
    def _check_aftersales_rating_range(self):
        """A customer's rating of a ticket is 1 (dissatisfied) to 5 (satisfied): the KPIs
        and evaluations average it. 0 is a rating request not answered yet."""
        for rating in self:
            if rating.res_model != "aftersales.ticket":
                continue
            if rating.consumed and not 1 <= rating.rating <= 5:
                raise ValidationError(
                    _(
                        "A rating of a service ticket is between 1 and 5, not %(rating)s.",
                        rating=rating.rating,
                    )
                )
