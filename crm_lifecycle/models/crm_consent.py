from odoo import api, fields, models
from odoo.exceptions import AccessError

CONSENT_CHANNELS = [
    ("email", "Email"),
    ("sms", "SMS"),
    ("phone", "Phone"),
]
CONSENT_STATES = [
    ("given", "Given"),
    ("withdrawn", "Withdrawn"),
    ("unknown", "Unknown"),
]
CONSENT_SOURCES = [
    ("portal", "Portal"),
    ("staff", "Staff"),
    ("import", "Import"),
    ("campaign_reply", "Campaign reply"),
]


class CrmConsent(models.Model):
    """One change of a customer's marketing consent on one channel: the consent history (PIPL / GDPR).

    Lines are only ever added, never edited: the contact's current consent per channel (res.partner
    `consent_email`, `consent_sms`, `consent_phone`) is the state of its latest line (by date, then id);
    a channel without a line is `unknown`. Every channel withdrawn is the contact's opt-out
    (`care_opt_out`) and the other way round (see res_partner_consent.py).
    """

    _name = "crm.consent"
    _description = "Marketing Consent"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, ondelete="cascade", index=True)
    channel = fields.Selection(
        CONSENT_CHANNELS,
        required=True,
        help="The channel the consent is about: email (also surveys), SMS, phone "
        "(calls and visits scheduled as activities).",
    )
    state = fields.Selection(
        CONSENT_STATES,
        string="Consent",
        required=True,
        help="Given: the customer agreed to marketing on this channel (opt-in). Withdrawn: the customer refused "
        "or revoked it. Unknown: never asked, or the opt-out was lifted without an explicit consent.",
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, help="When the customer gave or withdrew it.")
    source = fields.Selection(
        CONSENT_SOURCES,
        required=True,
        default="staff",
        help="Where the consent comes from: the customer's portal, a staff member, an import, a reply to a campaign.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Recorded By",
        default=lambda self: self.env.user,
        ondelete="set null",
        help="The user who recorded the change (the portal user for a change made on the portal).",
    )
    note = fields.Text(help="Free text: how and where the customer expressed it.")

    @api.model_create_multi
    def create(self, vals_list):
        consents = super().create(vals_list)
        consents.partner_id._crm_consent_sync_opt_out()
        return consents

    def write(self, vals):
        # The history is evidence: a line is never rewritten; a change is a new line.
        if not self.env.su:
            raise AccessError(self.env._("A consent line cannot be changed: record a new consent instead."))
        return super().write(vals)

    @api.model
    def _record(self, partners, channels, state, source="staff", note=False):
        """Add one history line per partner and channel whose current consent differs from `state`.

        partners: res.partner recordset; channels: iterable of channel keys ("email", "sms", "phone");
        state: "given", "withdrawn" or "unknown"; source: a CONSENT_SOURCES key. Returns the new lines.
        Lines are created with sudo: callers check that the user may change these partners' consents.
        """
        vals_list = [
            {
                "partner_id": partner.id,
                "channel": channel,
                "state": state,
                "source": source,
                "note": note,
                "user_id": self.env.user.id,
            }
            for partner in partners
            for channel in channels
            if partner.sudo()[f"consent_{channel}"] != state
        ]
        return self.sudo().create(vals_list) if vals_list else self.browse()
