from odoo import models


class SmsSms(models.Model):
    _inherit = "sms.sms"

    def write(self, vals):
        result = super().write(vals)
        if vals.get("state") == "error":
            # The SMS service refused them (no credit, invalid number...): their care touches fail.
            self.env["crm.care.touch"]._care_sms_failed(self)
        return result
