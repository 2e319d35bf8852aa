"""Marketing consent per channel on the contact (see crm_consent.py) and its tie with the former opt-out box."""

from odoo import api, fields, models
from odoo.tools import SQL

from .crm_consent import CONSENT_CHANNELS, CONSENT_STATES

CHANNEL_KEYS = tuple(key for key, __ in CONSENT_CHANNELS)


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    consent_ids = fields.One2many(
        "crm.consent",
        "partner_id",
        string="Consent History",
        readonly=True,
        groups="crm_lifecycle.group_crm_care_user",
    )
    consent_email = fields.Selection(
        CONSENT_STATES,
        string="Email Consent",
        default="unknown",
        readonly=True,
        groups="base.group_user",
        help="Current marketing consent for emails and surveys: the state of the latest line of the consent history "
        "on the email channel (unknown without any).",
    )
    consent_sms = fields.Selection(
        CONSENT_STATES,
        string="SMS Consent",
        default="unknown",
        readonly=True,
        groups="base.group_user",
        help="Current marketing consent for SMS: the state of the latest line of the consent history on the SMS "
        "channel (unknown without any).",
    )
    consent_phone = fields.Selection(
        CONSENT_STATES,
        string="Phone Consent",
        default="unknown",
        readonly=True,
        groups="base.group_user",
        help="Current marketing consent for calls and visits (activities): the state of the latest line of the consent "
        "history on the phone channel (unknown without any).",
    )

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        if not self.env.context.get("crm_consent_sync"):
            partners.filtered("care_opt_out")._crm_consent_record_opt_out(True)
        return partners

    def write(self, vals):
        before = {}
        if "care_opt_out" in vals and not self.env.context.get("crm_consent_sync"):
            before = {partner.id: partner.care_opt_out for partner in self.sudo()}
        result = super().write(vals)
        if before:
            changed = self.filtered(lambda partner: before[partner.id] != bool(vals["care_opt_out"]))
            changed._crm_consent_record_opt_out(bool(vals["care_opt_out"]))
        return result

    def action_record_consent(self):
        """Open the form recording one consent change of this contact (source: staff)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record a Consent Change"),
            "res_model": "crm.consent",
            "view_mode": "form",
            "views": [(self.env.ref("crm_lifecycle.crm_consent_view_form").id, "form")],
            "target": "new",
            "context": {"default_partner_id": self.id, "default_source": "staff"},
        }

    def _crm_consent_source(self):
        """Source of consent lines written through the opt-out box: the context's `crm_consent_source`, an import
        (base_import sets `import_file`), otherwise staff."""
        if self.env.context.get("crm_consent_source"):
            return self.env.context["crm_consent_source"]
        return "import" if self.env.context.get("import_file") else "staff"

    def _crm_consent_record_opt_out(self, opted_out):
        """The opt-out box is "withdrawn on every channel": ticked, it records `withdrawn` on every channel not
        withdrawn yet; unticked, it records `unknown` on the withdrawn channels (lifting an opt-out is no consent:
        an opt-in company still waits for a given one)."""
        if not self:
            return
        source = self._crm_consent_source()
        vals_list = []
        for partner in self.sudo():
            for channel in CHANNEL_KEYS:
                current = partner[f"consent_{channel}"]
                if (opted_out and current != "withdrawn") or (not opted_out and current == "withdrawn"):
                    vals_list.append(
                        {
                            "partner_id": partner.id,
                            "channel": channel,
                            "state": "withdrawn" if opted_out else "unknown",
                            "source": source,
                            "note": self.env._("Opt-out box ticked")
                            if opted_out
                            else self.env._("Opt-out box unticked"),
                            "user_id": self.env.user.id,
                        }
                    )
        if vals_list:
            # sudo: the user changed the opt-out box of these contacts (write access checked by write())
            self.env["crm.consent"].sudo().create(vals_list)

    def _crm_consent_sync_opt_out(self):
        """Set these contacts' current consent per channel from their history (the latest line by date, then id;
        unknown without any) and the opt-out box (every channel withdrawn), in one query and writes of the contacts
        whose values differ only."""
        if not self:
            return
        self.env["crm.consent"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """SELECT DISTINCT ON (partner_id, channel) partner_id, channel, state
                     FROM crm_consent
                    WHERE partner_id IN %s
                    ORDER BY partner_id, channel, date DESC, id DESC""",
                tuple(self.ids),
            )
        )
        current = {}
        for partner_id, channel, state in rows:
            current.setdefault(partner_id, {})[channel] = state
        partners = self.sudo().with_context(crm_consent_sync=True)
        for partner in partners:
            states = current.get(partner.id, {})
            vals = {f"consent_{channel}": states.get(channel, "unknown") for channel in CHANNEL_KEYS}
            vals["care_opt_out"] = all(value == "withdrawn" for value in vals.values())
            vals = {name: value for name, value in vals.items() if partner[name] != value}
            if vals:
                # sudo: the consent fields are read-only for users; they follow the history just written
                partner.write(vals)
