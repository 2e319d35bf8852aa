"""My Account > Communication preferences: the customer sees and changes their marketing consents."""

from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers import portal

from ..models.crm_consent import CONSENT_CHANNELS

# What a customer may choose on the portal: "unknown" is never a customer's answer.
PORTAL_CHOICES = ("given", "withdrawn")
HISTORY_LIMIT = 20


class CustomerPortal(portal.CustomerPortal):
    def _crm_consent_values(self, partner_sudo, **extra):
        # the channels' names in the customer's language (the field's translated selection values)
        channels = dict(request.env["crm.consent"]._fields["channel"]._description_selection(request.env))
        return {
            **self._prepare_portal_layout_values(),
            "page_name": "consents",
            "consent_channels": [
                (channel, label, partner_sudo[f"consent_{channel}"]) for channel, label in channels.items()
            ],
            "consent_history": partner_sudo.consent_ids[:HISTORY_LIMIT],
            **extra,
        }

    @http.route("/my/consents", type="http", auth="user", methods=["GET"], website=True)
    def portal_my_consents(self, saved=None, **kw):
        # sudo: consents are internal records; the page shows only the logged-in user's own partner's
        partner_sudo = request.env.user.partner_id.sudo()
        return request.render("crm_lifecycle.portal_my_consents", self._crm_consent_values(partner_sudo, saved=saved))

    @http.route("/my/consents", type="http", auth="user", methods=["POST"], website=True)
    def portal_my_consents_save(self, **post):
        """Record, for each channel posted as `consent_<channel>` = given | withdrawn that differs from the
        current consent, a history line with source portal (CSRF-checked form). Any other value is refused and
        nothing is recorded."""
        partner_sudo = request.env.user.partner_id.sudo()
        choices = {}
        for channel, __ in CONSENT_CHANNELS:
            value = post.get(f"consent_{channel}")
            if value is None:
                continue
            if value not in PORTAL_CHOICES:
                error = request.env._("Choose Yes or No for each channel.")
                return request.render(
                    "crm_lifecycle.portal_my_consents", self._crm_consent_values(partner_sudo, error=error)
                )
            choices[channel] = value
        Consent = request.env["crm.consent"]
        for state in PORTAL_CHOICES:
            channels = [channel for channel, value in choices.items() if value == state]
            if channels:
                # _record creates with sudo, for the logged-in user's own partner only
                Consent._record(partner_sudo, channels, state, source="portal")
        return request.redirect("/my/consents?saved=1")
