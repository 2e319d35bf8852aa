from datetime import date

from odoo.tests import tagged

from .care_common import CareCase
from .purchase_common import PurchaseLedgerMixin


@tagged("post_install", "-at_install")
class TestCareZeroAmountOrder(PurchaseLedgerMixin, CareCase):
    """Care reads purchases, not bare orders: a zero-amount order (a free replacement after a complaint) plans
    no "thank you for your order" touch; conversions count purchases net of refunds."""

    def test_free_replacement_plans_no_after_order_touch(self):
        partner = self._customer("Replacement Receiver")
        campaign = self._campaign(
            "after_order", steps=[{"action": "email", "mail_template_id": self.thank_you_template.id, "delay_days": 1}]
        )
        replacement = self._order(partner, self.TODAY, amount=0)
        paid = self._order(partner, self.TODAY, amount=120)
        self.assertEqual(self._touches(campaign).order_id, paid)
        self._run_care(self._days_ago(-1))
        self.assertNotIn(replacement, self._touches(campaign).order_id)
        self.assertEqual(self._touches(campaign).order_id, paid)

    def test_refunded_order_and_direct_invoice_in_conversions(self):
        """Care conversions read the purchase ledger: a fully refunded order is no conversion, a direct
        invoice is one."""
        refunder = self._customer("Refunder", birthday=date(1990, 6, 15))
        invoiced = self._customer("Invoiced Client", birthday=date(1990, 6, 15))
        campaign = self._campaign("birthday")
        self._run_care(self.TODAY)
        self.assertEqual(campaign.touched_count, 2)
        order = self._order(refunder, self._days_ago(-2), amount=300)
        self._refund(self._invoice(order, self._days_ago(-3)), self._days_ago(-4))
        invoice = self._direct_invoice(invoiced, self._days_ago(-3), 250)
        campaign.invalidate_recordset()
        self.assertEqual((campaign.conversion_count, campaign.revenue), (1, 250))
        conversion = self.env["crm.care.conversion"].search([("campaign_id", "=", campaign.id)])
        self.assertEqual(
            (conversion.partner_id, conversion.move_id, conversion.order_id),
            (invoiced, invoice, self.env["sale.order"]),
        )
