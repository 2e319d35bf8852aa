from datetime import date, datetime

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import LifecycleCase
from .purchase_common import PurchaseLedgerMixin


@tagged("post_install", "-at_install")
class TestPurchaseLedger(PurchaseLedgerMixin, LifecycleCase):
    """The purchase ledger (crm.purchase) behind the lifecycle figures: orders net of credit notes made with
    Odoo's credit-note wizard, direct invoices, zero-amount orders, at posting time and in the nightly run."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm.lifecycle.run"].create({"date": cls.TODAY, "state": "done"})

    def test_order_refunded_in_full_no_longer_counts(self):
        partner = self._customer("Returned Goods Ltd")
        old = self._order(partner, self._days_ago(200), amount=300)
        recent = self._order(partner, self._days_ago(10), amount=1000)
        self._refresh(partner)
        self.assertEqual(partner.lifecycle_stage_id, self.stage["active"])
        self.assertEqual((partner.order_count, partner.total_revenue), (2, 1300))
        invoice = self._invoice(recent, self._days_ago(9))
        self.assertEqual(partner.order_count, 2, "an invoice of an order counts once, as the order")
        credit_note = self._refund(invoice, self._days_ago(5))
        # Posting the credit note refreshed the customer: the order is gone from every figure.
        self.assertEqual(partner.order_count, 1)
        self.assertEqual(partner.total_revenue, 300)
        self.assertEqual(partner.last_order_date, old.date_order.date())
        self.assertEqual(partner.lifecycle_stage_id, self.stage["at_risk"])
        rows = self._ledger(partner)
        self.assertEqual(
            sorted((row.source, row.name, row.amount, row.sale_order_id.id) for row in rows),
            [
                ("credit_note", credit_note.name, -1000, recent.id),
                ("sale_order", old.name, 300, old.id),
                ("sale_order", recent.name, 1000, recent.id),
            ],
        )
        self.assertEqual(rows.filtered(lambda row: row.source == "credit_note").date, self._days_ago(5))
        self.assertEqual(set(rows.mapped("purchase_model")), {"sale.order"})
        self._run_cron()
        self.assertEqual((partner.order_count, partner.total_revenue), (1, 300))
        self.assertEqual(partner.lifecycle_stage_id, self.stage["at_risk"])

    def test_partial_refund_lowers_the_amount(self):
        partner = self._customer("Half Back")
        order = self._order(partner, self._days_ago(20), amount=1000)
        invoice = self._invoice(order, self._days_ago(19))
        credit_note = self._refund(invoice, self._days_ago(3), price_unit=400)
        self.assertEqual(credit_note.amount_untaxed, 400)
        self.assertEqual((partner.order_count, partner.total_revenue, partner.revenue_last_year), (1, 600, 600))
        self.assertEqual(partner.purchase_refund_amount, 400, "the Customer Value tab shows the refunds")
        self.assertEqual(partner.average_order_value, 600)
        self._run_cron()
        self.assertEqual((partner.order_count, partner.total_revenue), (1, 600))
        row = self._ledger(partner).filtered(lambda r: r.move_id == credit_note)
        self.assertEqual((row.amount, row.sale_order_id, row.purchase_id), (-400, order, order.id))

    def test_direct_invoice_counts_and_its_refund_cancels_it(self):
        partner = self._customer("Consulting Client")
        invoice = self._direct_invoice(partner, self._days_ago(4), 750)
        self.assertEqual((partner.order_count, partner.total_revenue), (1, 750))
        self.assertEqual(partner.first_order_date, self._days_ago(4))
        self.assertEqual(partner.lifecycle_stage_id, self.stage["new"])
        row = self._ledger(partner)
        self.assertEqual((row.source, row.move_id, row.date, row.amount), ("invoice", invoice, self._days_ago(4), 750))
        self.assertEqual(partner.purchase_count, 1)
        action = partner.action_view_purchases()
        self.assertEqual(self.env["crm.purchase"].search(action["domain"]), row)
        self._refund(invoice, self._days_ago(2))
        self.assertEqual((partner.order_count, partner.total_revenue), (0, 0))
        partner.invalidate_recordset(["purchase_count"])
        self.assertEqual(partner.purchase_count, 2)
        self.assertEqual(set(self._ledger(partner).mapped("purchase_id")), {invoice.id})

    def test_purchase_dated_in_the_future_counts_from_its_day(self):
        partner = self._customer("Early Bird")
        future = self._days_ago(-10)
        invoice = self._direct_invoice(partner, self.TODAY, 500, invoice_date=future)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual((partner.order_count, partner.total_revenue), (0, 0), "not before its date")
        self.assertEqual(self._ledger(partner).date, future, "but listed in the ledger")
        self._run_cron()
        self.assertEqual((partner.order_count, partner.total_revenue), (0, 0))
        self._run_cron(future)
        self.assertEqual((partner.order_count, partner.total_revenue, partner.first_order_date), (1, 500, future))

    def test_zero_amount_replacement_does_not_win_back_a_churned_customer(self):
        partner = self._customer("Long Gone")
        self._order(partner, self._days_ago(500), amount=800)
        self._run_cron()
        self.assertEqual(partner.lifecycle_stage_id, self.stage["churned"])
        replacement = self._order(partner, self._days_ago(1), amount=0)
        self.assertEqual(replacement.state, "sale")
        self.assertEqual(partner.lifecycle_stage_id, self.stage["churned"], "a free replacement is not a purchase")
        self.assertEqual((partner.order_count, partner.last_order_date), (1, self._days_ago(500)))
        self._run_cron()
        self.assertEqual(partner.lifecycle_stage_id, self.stage["churned"])

    def test_credit_note_of_another_customers_order(self):
        buyer = self._customer("Original Buyer")
        other = self._customer("Someone Else")
        order = self._order(buyer, self._days_ago(20), amount=1000)
        invoice = self._invoice(order, self._days_ago(19))
        credit_note = self._refund(invoice, self._days_ago(2), price_unit=400, partner=other)
        self.assertEqual(credit_note.commercial_partner_id, other)
        # The buyer's order is not lowered by a refund paid to someone else; that refund is the other
        # customer's, on its own (not a purchase), and counted once.
        self.assertEqual((buyer.order_count, buyer.total_revenue), (1, 1000))
        self.assertEqual((other.order_count, other.total_revenue), (0, -400))
        row = self._ledger(other)
        self.assertEqual(
            (row.source, row.sale_order_id.id, row.purchase_model, row.purchase_id),
            ("credit_note", False, "account.move", credit_note.id),
        )
        self.assertFalse(self._ledger(buyer).filtered(lambda r: r.source == "credit_note"))
        note = credit_note.message_ids.filtered(lambda m: "of another customer" in (m.body or ""))
        self.assertTrue(note, "the accountant is told how the refund counts")
        self.assertIn(order.name, str(note.body))
        self.assertIn("Someone Else", str(note.body))

    def test_care_user_analyses_purchases_by_source(self):
        partner = self._customer("Analysed")
        order = self._order(partner, self._days_ago(20), amount=1000)
        self._refund(self._invoice(order, self._days_ago(19)), self._days_ago(3), price_unit=250)
        self._direct_invoice(partner, self._days_ago(2), 300)
        user = new_test_user(
            self.env, "care_analyst", groups="sales_team.group_sale_salesman,crm_lifecycle.group_crm_care_user"
        )
        Purchase = self.env["crm.purchase"].with_user(user)
        groups = Purchase._read_group([("partner_id", "=", partner.id)], ["source"], ["amount:sum", "__count"])
        self.assertEqual(sorted(groups), [("credit_note", -250, 1), ("invoice", 300, 1), ("sale_order", 1000, 1)])
        views = Purchase.get_views([(False, "list"), (False, "pivot"), (False, "search")])
        self.assertIn("filter_without_rate", views["views"]["search"]["arch"])

    def test_purchases_of_another_company_are_not_listed(self):
        other_company = self.env["res.company"].create({"name": "Sister Shop"})
        partner = self._customer("Two Shops Customer")
        self._order(partner, self._days_ago(5), amount=100)
        with freeze_time(self._days_ago(4)):
            order = (
                self.env["sale.order"]
                .with_company(other_company)
                .create(
                    {
                        "partner_id": partner.id,
                        "company_id": other_company.id,
                        "order_line": [Command.create({"product_id": self.product.id, "price_unit": 700})],
                    }
                )
            )
            order.action_confirm()
        self.assertEqual(len(self._ledger(partner)), 2)
        user = new_test_user(
            self.env, "care_one_company", groups="sales_team.group_sale_salesman,crm_lifecycle.group_crm_care_user"
        )
        rows = self.env["crm.purchase"].with_user(user).search([("partner_id", "=", partner.id)])
        self.assertEqual(rows.company_id, self.company, "a user of one company sees that company's purchases")

    def test_purchase_without_rate_is_listed(self):
        foreign = (
            self.env.ref("base.JPY")
            if self.company.currency_id != self.env.ref("base.JPY")
            else self.env.ref("base.EUR")
        )
        foreign.active = True
        foreign.rate_ids.unlink()
        partner = self._customer("Yen Buyer")
        order = self._order(partner, self._days_ago(3), amount=30000, currency=foreign)
        row = self._ledger(partner)
        self.assertTrue(row.is_currency_rate_missing)
        self.assertFalse(row.amount)
        self.assertEqual((row.amount_currency, row.document_currency_id, row.sale_order_id), (30000, foreign, order))
        self.assertEqual(partner.lifecycle_missing_rate_count, 1)
        action = partner.action_view_purchases_without_rate()
        self.assertEqual(action["context"], {"search_default_filter_without_rate": 1})
        self.assertEqual(
            self.env["crm.purchase"].search(action["domain"] + [("is_currency_rate_missing", "=", True)]), row
        )

    def test_rows_are_dated_in_the_business_time_zone_not_the_address_s(self):
        self.company.partner_id.tz = "America/New_York"
        self.company.crm_care_tz = "Asia/Shanghai"  # chosen in Settings after the address
        partner = self._customer("Late Evening Buyer")
        self._order(partner, datetime(2026, 3, 1, 23, 30))  # 07:30 on 2 March in Shanghai, 18:30 on 1 March in NY
        self.assertEqual(self._ledger(partner).date, date(2026, 3, 2))
