from contextlib import contextmanager
from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid
from unittest.mock import patch

from odoo.fields import Command

from odoo.addons.base.models.ir_cron import IrCron
from odoo.addons.mail.tests.common import MailCommon, mail_new_test_user

# Monday 15 June 2026; the team works Monday to Friday, 9:00-13:00 and 14:00-18:00 UTC (8 hours a day).
MONDAY = datetime(2026, 6, 15, 9, 0)
# The company's business time zone (follow-up dates, crm_lifecycle's dates): 8 hours ahead of UTC.
COMPANY_TZ = "Asia/Shanghai"


class ComplaintCase(MailCommon):
    """A complaint team on a known calendar, its people, a customer and SLA policies, on real PostgreSQL.

    Realistic by default: the company's business time zone is Asia/Shanghai, users work in other zones, a
    second company exists, and `calendar_shanghai` is a Shanghai working schedule with a lunch break. The
    team's SLA calendar `calendar` is UTC on purpose: the SLA tests write their instants in round UTC hours
    (the SLA counts in the calendar's own zone, whatever the company's or the user's).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write({"complaint_approval_amount": 100.0, "complaint_followup_days": 3})
        cls.company.partner_id.tz = COMPANY_TZ
        cls.company.crm_care_tz = COMPANY_TZ
        cls.env.user.tz = "UTC"
        cls.company_2 = cls.env["res.company"].create(
            {"name": "Complaints Second Company", "crm_care_tz": "America/New_York"}
        )
        cls.calendar_shanghai = cls._calendar("Shanghai office hours", COMPANY_TZ, ((9, 12), (13.5, 18)))
        cls.calendar = cls._calendar("Care hours", "UTC", ((9, 13), (14, 18)))
        cls.leader = mail_new_test_user(
            cls.env,
            login="cmp_leader",
            name="Lena Leader",
            groups="sales_team.group_sale_salesman",
            tz="America/New_York",
        )
        cls.agent = mail_new_test_user(
            cls.env, login="cmp_agent", name="Arno Agent", groups="sales_team.group_sale_salesman", tz="Europe/Paris"
        )
        cls.outsider = mail_new_test_user(
            cls.env, login="cmp_outsider", name="Olga Outsider", groups="sales_team.group_sale_salesman"
        )
        cls.manager = mail_new_test_user(
            cls.env, login="cmp_manager", name="Mia Manager", groups="sales_team.group_sale_manager", tz=COMPANY_TZ
        )
        cls.manager_2 = mail_new_test_user(
            cls.env, login="cmp_manager2", name="Max Manager", groups="sales_team.group_sale_manager"
        )
        # The tests' own teams and policies only (the shipped Customer Service team and its policies retired).
        cls.env["crm.complaint.team"].search([]).action_archive()
        cls.team = cls.env["crm.complaint.team"].create(
            {
                "name": "After-sales",
                "leader_id": cls.leader.id,
                "member_ids": [Command.set([cls.leader.id, cls.agent.id])],
                "resource_calendar_id": cls.calendar.id,
                "alias_name": "complaints",
            }
        )
        cls.other_team = cls.env["crm.complaint.team"].create(
            {"name": "Store", "leader_id": cls.outsider.id, "member_ids": [Command.set([cls.outsider.id])]}
        )
        cls.env["crm.complaint.sla"].search([]).action_archive()
        cls.policy = cls.env["crm.complaint.sla"].create(
            {"name": "Standard", "team_id": cls.team.id, "response_hours": 4, "resolve_hours": 16}
        )
        # A product with a 15 % sales tax (price excluded), for tests that sell and invoice.
        cls.tax = cls.env["account.tax"].create(
            {"name": "Complaints VAT 15%", "amount": 15.0, "amount_type": "percent", "type_tax_use": "sale"}
        )
        cls.taxed_product = cls.env["product.product"].create(
            {
                "name": "Taxed Vase",
                "list_price": 300.0,
                "invoice_policy": "order",
                "taxes_id": [Command.set(cls.tax.ids)],
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Carla Customer", "email": "carla@example.com", "tz": "UTC", "lang": "en_US"}
        )
        cls.category = cls.env["crm.complaint.category"].create({"name": "Delivery"})
        cls.cause = cls.env.ref("crm_complaints.crm_complaint_cause_delivery")
        cls.stage = {stage.state: stage for stage in cls.env["crm.complaint.stage"].search([])}

    @classmethod
    def _calendar(cls, name, tz, shifts):
        """Working hours Monday to Friday: `shifts` = ((morning from, to), (afternoon from, to)) in hours of `tz`."""
        return cls.env["resource.calendar"].create(
            {
                "name": name,
                "tz": tz,
                "company_id": cls.company.id,
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"Day {day} {period}",
                            "dayofweek": str(day),
                            "hour_from": start,
                            "hour_to": end,
                            "day_period": period,
                        }
                    )
                    for day in range(5)
                    for (start, end), period in zip(shifts, ("morning", "afternoon"), strict=True)
                ],
            }
        )

    @classmethod
    def _invoiced_order(cls, price=300.0):
        """A confirmed order of one untaxed product at `price`, its invoice posted: (product, order, invoice)."""
        product = cls.env["product.product"].create(
            {"name": "Vase", "list_price": price, "invoice_policy": "order", "taxes_id": [Command.clear()]}
        )
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})],
            }
        )
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.action_post()
        return product, order, invoice

    def _complaint(self, when=MONDAY, **vals):
        with self.mock_datetime_and_now(when):
            complaint = (
                self.env["crm.complaint"]
                .with_user(vals.pop("user", self.agent))
                .create(
                    {
                        "subject": "Parcel arrived damaged",
                        "partner_id": self.customer.id,
                        "team_id": self.team.id,
                        "category_id": self.category.id,
                        **vals,
                    }
                )
            )
            self.env.flush_all()
        return complaint.with_user(self.env.user)

    def _move(self, complaint, state, when, user=None, **vals):
        with self.mock_datetime_and_now(when):
            complaint.with_user(user or self.agent).write({"stage_id": self.stage[state].id, **vals})
            self.env.flush_all()

    @contextmanager
    def assertRaisesRegex(self, exception, regex):  # noqa: N802 - unittest's name, with Odoo's savepoint
        """Odoo's assertRaises (rolled back to a savepoint) that also checks the message."""
        with self.assertRaises(exception) as catcher:
            yield catcher
        self.assertRegex(str(catcher.exception), regex)

    def _customer_reply(self, complaint, when, body="It is still not right"):
        """The customer answers, through the mail gateway, the last email they received on the complaint."""
        parent = complaint.message_ids.filtered(lambda m: self.customer in m.partner_ids)[:1]
        self.assertTrue(parent.message_id)
        msg = EmailMessage()
        msg["From"] = '"Carla Customer" <carla@example.com>'
        msg["To"] = f"complaints@{self.alias_domain}"
        msg["Subject"] = f"Re: {parent.subject}"
        msg["Message-ID"] = make_msgid(domain="example.com")
        msg["In-Reply-To"] = parent.message_id
        msg["References"] = parent.message_id
        msg.set_content(body)
        with self.mock_datetime_and_now(when), self.mock_mail_gateway():
            self.env["mail.thread"].message_process(False, msg.as_string())
            self.env.flush_all()
        self.env.invalidate_all()

    def _respond(self, complaint, when, user=None):
        with self.mock_datetime_and_now(when):
            complaint.with_user(user or self.agent).message_post(
                body="We are looking into it.", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
            self.env.flush_all()

    @contextmanager
    def _no_commit(self):
        """The cron's commits are the test transaction's savepoints: progress is kept, nothing committed."""
        with patch.object(IrCron, "_commit_progress", lambda self, processed=0, **kw: float("inf")):
            yield

    def _run_escalation(self, when):
        with self.mock_datetime_and_now(when), self._no_commit():
            self.env["crm.complaint"]._cron_escalate()
        self.env.invalidate_all()
