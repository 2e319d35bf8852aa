from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged

from .common import LifecycleCase

REFUSED = "Only Customer Care managers can lock, unlock or set the lifecycle stage"


@tagged("post_install", "-at_install")
class TestLifecycleLockAccess(LifecycleCase):
    """The stage lock, its reason and the stage it holds change through the manager's actions only: a
    direct create() or write() (what an RPC client sends) by anyone else is refused."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm.lifecycle.run"].create({"date": cls.TODAY, "state": "done"})
        cls.care_user = new_test_user(
            cls.env,
            "care_user",
            groups="crm_lifecycle.group_crm_care_user,base.group_partner_manager",
            name="Care User",
        )
        cls.partner = cls._customer("Locked Account")
        cls._order(cls.partner, cls.TODAY - timedelta(days=300))
        with freeze_time(cls.TODAY):
            cls.partner._lifecycle_refresh()
        cls.partner.write({"lifecycle_locked": True, "lifecycle_lock_reason": "Late payer, keep At Risk"})

    def _refused(self, call):
        with self.assertRaisesRegex(AccessError, REFUSED):
            call()

    def test_users_and_salespeople_cannot_write_the_lock_or_its_stage(self):
        for user in (self.care_user, self.salesman):
            partner = self.partner.with_user(user)
            self.assertTrue(partner.has_access("write"), "the partner itself is writable: the lock is not")
            for vals in (
                {"lifecycle_locked": False},
                {"lifecycle_lock_reason": "No longer late"},
                {"lifecycle_stage_id": self.stage["loyal"].id},
                {"lifecycle_stage_date": self.TODAY},
            ):
                with self.subTest(user=user.login, vals=vals):
                    self._refused(lambda partner=partner, vals=vals: partner.write(vals))
            partner.write({"phone": "+86 21 5555 0100"})  # the rest of the contact stays editable
        self.assertEqual(
            (self.partner.lifecycle_locked, self.partner.lifecycle_lock_reason, self.partner.lifecycle_stage_id),
            (True, "Late payer, keep At Risk", self.stage["at_risk"]),
        )

    def test_users_and_salespeople_cannot_create_a_locked_or_staged_partner(self):
        for user in (self.care_user, self.salesman):
            Partner = self.env["res.partner"].with_user(user)
            for vals in (
                {"lifecycle_locked": True, "lifecycle_lock_reason": "VIP"},
                {"lifecycle_lock_reason": "VIP"},
                {"lifecycle_stage_id": self.stage["loyal"].id},
            ):
                with self.subTest(user=user.login, vals=vals):
                    self._refused(lambda Partner=Partner, vals=vals: Partner.create({"name": "New One", **vals}))
            # Empty values are the defaults: accepted.
            Partner.create({"name": "Plain", "lifecycle_locked": False, "lifecycle_lock_reason": False})

    def test_history_lines_cannot_be_forged(self):
        for user in (self.care_user, self.salesman):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["crm.lifecycle.history"].with_user(user).create(
                    {"partner_id": self.partner.id, "to_stage_id": self.stage["loyal"].id, "reason": "manual"}
                )

    def test_managers_may_and_order_refreshes_still_move_stages(self):
        created = (
            self.env["res.partner"]
            .with_user(self.manager)
            .create({"name": "Strategic", "lifecycle_locked": True, "lifecycle_lock_reason": "Board decision"})
        )
        self.assertTrue(created.lifecycle_locked)
        # A salesperson's order confirmation still moves its customer's stage (the refresh runs as superuser).
        customer = self.env["res.partner"].with_user(self.salesman).create({"name": "Fresh Customer"})
        with freeze_time(self.TODAY):
            order = (
                self.env["sale.order"]
                .with_user(self.salesman)
                .create(
                    {
                        "partner_id": customer.id,
                        "order_line": [(0, 0, {"product_id": self.product.id, "product_uom_qty": 1})],
                    }
                )
            )
            order.action_confirm()
        self.assertEqual(customer.lifecycle_stage_id, self.stage["new"])


@tagged("post_install", "-at_install")
class TestLifecycleLockRpc(HttpCase):
    """The same guard over Odoo's JSON-RPC, as a salesperson's client would call it."""

    def test_salesperson_cannot_lock_or_unlock_over_rpc(self):
        new_test_user(self.env, "rpc_salesman", groups="sales_team.group_sale_salesman")
        partner = self.env["res.partner"].create(
            {"name": "RPC Target", "lifecycle_locked": True, "lifecycle_lock_reason": "Late payer"}
        )
        self.authenticate("rpc_salesman", "rpc_salesman")

        def call(method, args):
            return self.make_jsonrpc_request(
                f"/web/dataset/call_kw/res.partner/{method}",
                {"model": "res.partner", "method": method, "args": args, "kwargs": {}},
            )

        call("write", [[partner.id], {"phone": "+86 10 5555 0199"}])  # the contact itself is writable
        for method, args in (
            ("write", [[partner.id], {"lifecycle_locked": False}]),
            ("write", [[partner.id], {"lifecycle_lock_reason": "Paid now"}]),
            ("create", [{"name": "Born Locked", "lifecycle_locked": True, "lifecycle_lock_reason": "VIP"}]),
        ):
            with self.subTest(method=method, args=args), self.assertRaisesRegex(JsonRpcException, "AccessError"):
                call(method, args)
        partner.invalidate_recordset()
        self.assertEqual((partner.phone, partner.lifecycle_locked), ("+86 10 5555 0199", True))
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Born Locked")]))
