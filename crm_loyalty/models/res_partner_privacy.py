from odoo import models

from odoo.addons.crm_lifecycle.models.res_partner_privacy import _privacy_row


class ResPartner(models.Model):
    """Privacy on request (see crm_lifecycle's res_partner_privacy): the membership tier, its history and the
    person's loyalty cards with their points history."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def _crm_personal_data_sheets(self):
        sheets = super()._crm_personal_data_sheets()
        sheets["tier_history"] = (self.env._("Tier History"), "crm.loyalty.tier.history", {})
        sheets["loyalty_cards"] = (self.env._("Loyalty Cards"), "loyalty.card", {})
        sheets["points_history"] = (self.env._("Points History"), "loyalty.history", {})
        return sheets

    def _crm_personal_data(self):
        data = super()._crm_personal_data()
        data["profile"][0].update(
            _privacy_row(self, ["loyalty_tier_id", "loyalty_tier_since", "loyalty_qualifying_spend", "loyalty_points"])
        )
        history = self.env["crm.loyalty.tier.history"].search([("partner_id", "=", self.id)], order="date, id")
        cards = self.env["loyalty.card"].search([("partner_id", "=", self.id)], order="id")
        points = self.env["loyalty.history"].search([("card_id", "in", cards.ids)], order="create_date, id")
        data["tier_history"] = [
            _privacy_row(row, ["date", "from_tier_id", "to_tier_id", "reason", "qualifying_spend", "note"])
            for row in history
        ]
        data["loyalty_cards"] = [
            _privacy_row(card, ["code", "program_id", "points", "expiration_date"]) for card in cards
        ]
        data["points_history"] = [
            {**_privacy_row(row, ["create_date", "card_id", "description", "issued", "used"])} for row in points
        ]
        return data

    def _crm_erase_personal_data(self):
        """Also: the managers' notes on the person's tier history; the tier lock reason is replaced."""
        result = super()._crm_erase_personal_data()
        self.env["crm.loyalty.tier.history"].search([("partner_id", "=", self.id), ("note", "!=", False)]).write(
            {"note": False}
        )
        if self.loyalty_lock_reason:
            self.write({"loyalty_lock_reason": self.env._("Erased on request")})
        return result
