"""The card history lines written for a customer (points of an order and its tier, points taken back by a
credit note, points expired, a care campaign's coupon) are in the customer's language, not in the language
of the salesperson, accountant or scheduled job that writes them."""

from datetime import date, datetime, time
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.crm_lifecycle.tests.care_common import CareCase
from odoo.addons.crm_lifecycle.tests.purchase_common import PurchaseLedgerMixin

from .common import LoyaltyCase


def _in(env, lang):
    """`env` as a user speaking `lang` calls the server (the web client puts the user's language in the context)."""
    return env(context=dict(env.context, lang=lang))


@tagged("post_install", "-at_install")
class TestLoyaltyCustomerLanguage(PurchaseLedgerMixin, LoyaltyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.program = cls._membership_program()
        cls.zh_customer = cls._customer("Wang Fang", lang="zh_CN")
        cls.en_customer = cls._customer("Carla Smith", lang="en_US")

    def _earn(self, partner, on, amount):
        """An order confirmed on day `on` (its card line dated by the transaction clock too)."""
        with patch.object(self.env.cr, "now", lambda: datetime.combine(on, time(10))):
            return self._order(partner, on, amount=amount)

    def test_points_taken_back_by_a_credit_note_in_the_customer_language(self):
        zh_order = self._order(self.zh_customer, self._day(-10), amount=1000)
        en_order = self._order(self.en_customer, self._day(-10), amount=1000)
        zh_invoice = self._invoice(zh_order, self._day(-9))
        en_invoice = self._invoice(en_order, self._day(-9))
        self.env = _in(self.env, "en_US")  # an English-speaking accountant refunds the Chinese customer
        zh_refund = self._refund(zh_invoice, self._day(-5))
        self.env = _in(self.env, "zh_CN")  # a Chinese-speaking one the English customer
        en_refund = self._refund(en_invoice, self._day(-5))
        zh_line = self.zh_customer.loyalty_member_card_id.history_ids.filtered(lambda h: h.order_id == zh_refund.id)
        en_line = self.en_customer.loyalty_member_card_id.history_ids.filtered(lambda h: h.order_id == en_refund.id)
        self.assertEqual(zh_line.description, f"红字发票 {zh_refund.name}：扣回订单 {zh_order.name} 的积分")
        self.assertEqual(
            en_line.description, f"Credit note {en_refund.name}: points of order {en_order.name} taken back"
        )

    def test_order_points_and_tier_line_in_the_customer_language(self):
        for partner in (self.zh_customer, self.en_customer):
            self._order(partner, self.TODAY, amount=21000)
            self.assertEqual(partner.loyalty_tier_id, self.gold)
        self.env = _in(self.env, "zh_CN")  # a Chinese-speaking salesperson sells to the English customer
        en_order = self._order(self.en_customer, self._day(1), amount=1000)
        self.env = _in(self.env, "en_US")  # an English-speaking one to the Chinese customer
        zh_order = self._order(self.zh_customer, self._day(1), amount=1000)
        en_line = self.en_customer.loyalty_member_card_id.history_ids.filtered(lambda h: h.order_id == en_order.id)
        zh_line = self.zh_customer.loyalty_member_card_id.history_ids.filtered(lambda h: h.order_id == zh_order.id)
        self.assertEqual(en_line.description, f"Order {en_order.name} (Gold tier: points ×1.5)")
        self.assertEqual(zh_line.description, f"订单 {zh_order.name} (Gold等级：积分 ×1.5)")

    def test_expired_points_line_in_the_customer_language(self):
        self.company.loyalty_points_validity_months = 12
        for partner in (self.zh_customer, self.en_customer):
            self._earn(partner, date(2026, 2, 1), 300)
        for lang in ("zh_CN", "en_US"):  # whatever the language of the job, each card its customer's
            with self.subTest(job_language=lang), self.env.cr.savepoint() as savepoint:
                with freeze_time(date(2027, 2, 1)), self._no_commit():
                    _in(self.env, lang)["loyalty.card"]._cron_expire_loyalty_points()
                self.env.invalidate_all()
                expired = {
                    partner: partner.loyalty_member_card_id.history_ids.filtered("crm_loyalty_expiry_date").description
                    for partner in (self.zh_customer, self.en_customer)
                }
                self.assertEqual(expired[self.zh_customer], "2026-02-01 及之前获得的积分已过期")
                self.assertEqual(expired[self.en_customer], "Points earned up to 2026-02-01 expired")
                savepoint.rollback()
                self.env.invalidate_all()


@tagged("post_install", "-at_install")
class TestCareCouponCustomerLanguage(CareCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.coupons = cls.env["loyalty.program"].create({"name": "Birthday Coupons", "program_type": "coupons"})

    def test_care_coupon_line_in_the_customer_language(self):
        zh = self._customer("Wang Fang", birthday=date(1990, 6, 15), lang="zh_CN")
        en = self._customer("Carla Smith", birthday=date(1985, 6, 15), lang="en_US")
        campaign = self._campaign(
            "birthday",
            steps=[{"action": "issue_coupon", "coupon_program_id": self.coupons.id, "coupon_points": 1}],
            name="Birthday gift",
        )
        for lang in ("zh_CN", "en_US"):  # whatever the language of the job
            with self.subTest(job_language=lang), self.env.cr.savepoint() as savepoint:
                env = self.env
                self.env = _in(env, lang)
                self._run_care(self.TODAY)
                self.env = env
                cards = {touch.partner_id: touch.loyalty_card_id for touch in self._touches(campaign)}
                self.assertEqual(cards[zh].history_ids.description, "关怀活动 Birthday gift")
                self.assertEqual(cards[en].history_ids.description, "Care campaign Birthday gift")
                savepoint.rollback()
                self.env.invalidate_all()

    def test_a_contact_without_language_reads_its_company_s(self):
        company = self.env["res.partner"].create({"name": "Hangzhou Tea Co.", "is_company": True, "lang": "zh_CN"})
        contact = self._customer("Chen Wei", birthday=date(1990, 6, 15), parent_id=company.id)
        contact.lang = False
        campaign = self._campaign(
            "birthday",
            steps=[{"action": "issue_coupon", "coupon_program_id": self.coupons.id, "coupon_points": 1}],
            name="Birthday gift",
        )
        self._run_care(self.TODAY)
        card = self._touches(campaign).filtered(lambda t: t.partner_id == contact).loyalty_card_id
        self.assertEqual(card.history_ids.description, "关怀活动 Birthday gift")
