from odoo.http import request, route
from odoo.tools import format_amount, format_date

from odoo.addons.portal.controllers.portal import CustomerPortal


class CustomerPortalMembership(CustomerPortal):
    """ "My membership": the logged-in customer's tier, points, progress and tier history.

    The page shows the commercial entity of the logged-in user and nobody else: no URL parameter selects a
    customer. Portal users have no access to tiers and tier history, so the values are read with sudo()
    strictly for that one partner.
    """

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "membership_count" in counters:
            partner_sudo = request.env.user.partner_id.commercial_partner_id.sudo()
            values["membership_count"] = int(bool(partner_sudo.loyalty_tier_id or partner_sudo.loyalty_member_card_id))
        return values

    def _prepare_membership_values(self, partner_sudo):
        company = partner_sudo.company_id or request.env.company
        currency = company.currency_id
        card = partner_sudo.loyalty_member_card_id
        expiry_date, expiry_points = partner_sudo._loyalty_get_next_expiry()
        history = (
            request.env["crm.loyalty.tier.history"].sudo().search([("partner_id", "=", partner_sudo.id)], limit=20)
        )
        return {
            "page_name": "membership",
            "member": partner_sudo,
            "tier": partner_sudo.loyalty_tier_id,
            "next_tier": partner_sudo.loyalty_next_tier_id,
            "card": card,
            "points": card.points if card else 0.0,
            "point_name": card.point_name if card else "",
            "expiry_date": expiry_date and format_date(request.env, expiry_date),
            "expiry_points": expiry_points,
            "spend": format_amount(request.env, partner_sudo.loyalty_qualifying_spend, currency),
            "window_days": company.loyalty_window_days,
            "progress": round(partner_sudo.loyalty_progress),
            "progress_label": partner_sudo.loyalty_progress_label,
            "review_date": partner_sudo.loyalty_review_date
            and format_date(request.env, partner_sudo.loyalty_review_date),
            "tier_history": history,
        }

    @route("/my/membership", type="http", auth="user", website=True)
    def portal_my_membership(self, **kw):
        # Only the logged-in user's own commercial entity; parameters naming anyone else are ignored.
        partner_sudo = request.env.user.partner_id.commercial_partner_id.sudo()
        values = self._prepare_portal_layout_values()
        values.update(self._prepare_membership_values(partner_sudo))
        return request.render("crm_loyalty.portal_my_membership", values)
