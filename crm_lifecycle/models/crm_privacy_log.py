from odoo import api, fields, models

PRIVACY_OPERATIONS = [("export", "Export"), ("erasure", "Erasure")]
PRIVACY_CHANNELS = [("staff", "Staff"), ("portal", "Portal")]


class CrmPrivacyLog(models.Model):
    """Audit list of the privacy requests answered: every export and erasure of personal data, who did it,
    when, through which channel, for which person and what it covered. Written by the export and erasure
    only (superuser); Customer Care managers read it, nobody edits or deletes it."""

    _name = "crm.privacy.log"
    _description = "Personal Data Request Log"
    _order = "create_date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Person",
        readonly=True,
        index=True,
        ondelete="set null",
        help="The person whose data was exported or erased (anonymised after an erasure).",
    )
    user_id = fields.Many2one("res.users", string="By", readonly=True, ondelete="set null")
    operation = fields.Selection(PRIVACY_OPERATIONS, required=True, readonly=True)
    channel = fields.Selection(
        PRIVACY_CHANNELS,
        required=True,
        readonly=True,
        help="Staff: a Customer Care manager in the back office; Portal: the person on My Account.",
    )
    file_format = fields.Selection([("json", "JSON"), ("xlsx", "Excel (xlsx)")], readonly=True)
    summary = fields.Text(
        string="Covered",
        readonly=True,
        help="The sections of the person's data and their number of records, one \"section: count\" a line.",
    )
    company_id = fields.Many2one("res.company", readonly=True, default=lambda self: self.env.company)

    @api.model
    def _log(self, partner, operation, channel, data, file_format=None):
        """Log one request on `partner` by the current user. data: {section: rows or count}."""
        counts = {name: rows if isinstance(rows, int) else len(rows) for name, rows in data.items()}
        # sudo: the audit list is written by the request itself, whoever asks (portal included).
        return self.sudo().create(
            {
                "partner_id": partner.id,
                "user_id": self.env.uid,
                "operation": operation,
                "channel": channel,
                "file_format": file_format,
                "summary": "\n".join(f"{name}: {count}" for name, count in counts.items()),
                "company_id": self.env.company.id,
            }
        )
