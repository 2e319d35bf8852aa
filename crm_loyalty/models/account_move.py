from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _crm_care_refresh_customers(self, customers):
        """Evaluate the tiers of customers whose purchases change by a posted (or reset, cancelled)
        customer invoice or credit note, in this transaction, after crm_lifecycle's refresh: a refund
        lowers the qualifying spend at once (a downgrade waits for the review date)."""
        result = super()._crm_care_refresh_customers(customers)
        customers._loyalty_refresh()
        return result
