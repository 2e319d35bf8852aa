"""Execution of the `issue_coupon` campaign step (see crm_care_step.py)."""

from datetime import timedelta

from odoo import fields, models


class CrmCareTouch(models.Model):
    _inherit = "crm.care.touch"

    loyalty_card_id = fields.Many2one("loyalty.card", string="Coupon", readonly=True, ondelete="set null")

    def _care_execute_issue_coupon(self):
        """Issue one coupon per due touch of one step (self), reserved to the touch's customer."""
        touches = self.filtered(lambda touch: not touch.loyalty_card_id)
        step = self.step_id
        step.ensure_one()
        today = (self.company_id[:1] or self.env.company)._get_lifecycle_today()[0]
        expiration = today + timedelta(days=step.coupon_validity_days) if step.coupon_validity_days else False
        cards = (
            self.env["loyalty.card"]
            .sudo()
            .create(
                [
                    {
                        "program_id": step.coupon_program_id.id,
                        "partner_id": touch.partner_id.id,
                        "points": step.coupon_points,
                        "expiration_date": expiration,
                    }
                    for touch in touches
                ]
            )
        )
        for touch, card in zip(touches, cards, strict=True):
            touch._mark_done(loyalty_card_id=card.id)
        (self - touches)._mark_done()
        return cards
