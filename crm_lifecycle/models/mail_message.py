from odoo import models


class MailMessage(models.Model):
    _inherit = "mail.message"

    def _crm_privacy_erase(self):
        """Erasure on request: empty these messages (superuser) of everything that names or quotes the
        person (body, subject, sender and recipients, tracked old/new values), keeping the rows themselves:
        their number, dates, types and documents stay for the reports."""
        if not self:
            return
        # sudo: an erasure reaches messages whatever their author (the caller checked the right to erase).
        messages = self.sudo()
        messages.tracking_value_ids.unlink()
        messages.write(
            {
                "body": "",
                "subject": False,
                "email_from": False,
                "reply_to": False,
                "incoming_email_to": False,
                "incoming_email_cc": False,
                "outgoing_email_to": False,
            }
        )
