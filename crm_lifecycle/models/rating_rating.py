import logging

from odoo import api, models

_logger = logging.getLogger(__name__)

# A change of one of these fields changes what a rating says about its customer.
FEEDBACK_FIELDS = {"rating", "consumed", "partner_id", "rated_on", "res_model_id", "res_id"}


class RatingRating(models.Model):
    _inherit = "rating.rating"

    @api.model_create_multi
    def create(self, vals_list):
        ratings = super().create(vals_list)
        ratings._crm_care_feedback_received()
        return ratings

    def write(self, vals):
        result = super().write(vals)
        if FEEDBACK_FIELDS & vals.keys():
            self._crm_care_feedback_received()
        return result

    def unlink(self):
        # A deleted rating leaves the customer's feedback at once (not only at the nightly run).
        counted = self.env["res.partner"]._get_satisfaction_rating_models()
        partners = self.filtered(lambda rating: rating.res_model in counted and rating.consumed).partner_id
        result = super().unlink()
        self.env["res.partner"]._crm_care_feedback_received(partners, "deleted rating")
        return result

    def _crm_care_feedback_received(self):
        """Refresh the satisfaction of the customers of these filled ratings of rated models that count
        (res.partner._get_satisfaction_rating_models). A rating without customer, or outside 1-5, is ignored
        with a log line: it cannot be told whose satisfaction it is, or what it means."""
        counted = self.env["res.partner"]._get_satisfaction_rating_models()
        ratings = self.filtered(lambda rating: rating.res_model in counted and rating.consumed)
        for rating in ratings:
            if not rating.partner_id:
                _logger.warning(
                    "Rating %s of %s,%s has no customer: not counted in satisfaction",
                    rating.id,
                    rating.res_model,
                    rating.res_id,
                )
            elif not 1 <= rating.rating <= 5:
                _logger.warning(
                    "Rating %s has the value %s, outside 1-5: not counted in satisfaction", rating.id, rating.rating
                )
        self.env["res.partner"]._crm_care_feedback_received(ratings.partner_id, "rating")
