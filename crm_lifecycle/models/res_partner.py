from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column

from ..tools import schema
from . import care_dates
from .crm_lifecycle_run import METRIC_COLUMNS, RFM_COLUMNS, _assignments, _differs

RFM_SEGMENTS = [
    ("champion", "Champions"),
    ("loyal", "Loyal"),
    ("potential_loyalist", "Potential Loyalists"),
    ("new", "New Customers"),
    ("promising", "Promising"),
    ("need_attention", "Need Attention"),
    ("about_to_sleep", "About to Sleep"),
    ("at_risk", "At Risk"),
    ("cannot_lose", "Cannot Lose Them"),
    ("hibernating", "Hibernating"),
]
CONTACT_COLUMNS = (
    *METRIC_COLUMNS,
    *RFM_COLUMNS,
    "lifecycle_stage_id",
    "lifecycle_stage_date",
    "lifecycle_locked",
    "lifecycle_lock_reason",
)
# Set only by Customer Care managers (lock wizard, unlock) and by the refreshes (superuser): the stage lock,
# its reason, and the stage it holds.
LIFECYCLE_LOCK_FIELDS = {"lifecycle_locked", "lifecycle_lock_reason", "lifecycle_stage_id", "lifecycle_stage_date"}


class ResPartner(models.Model):
    _inherit = "res.partner"

    lifecycle_stage_id = fields.Many2one(
        "crm.lifecycle.stage",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        ondelete="restrict",
        group_expand="_read_group_lifecycle_stage_ids",
        groups="crm_lifecycle.group_crm_care_user",
    )
    lifecycle_stage_code = fields.Char(
        related="lifecycle_stage_id.code",
        groups="crm_lifecycle.group_crm_care_user",
    )
    lifecycle_stage_date = fields.Date(
        string="In Stage Since", readonly=True, copy=False, groups="crm_lifecycle.group_crm_care_user"
    )
    lifecycle_locked = fields.Boolean(
        string="Stage Locked",
        readonly=True,
        copy=False,
        help="A locked customer keeps its stage until a manager unlocks it.",
        groups="crm_lifecycle.group_crm_care_user",
    )
    lifecycle_lock_reason = fields.Char(
        string="Lock Reason", readonly=True, copy=False, groups="crm_lifecycle.group_crm_care_user"
    )
    lifecycle_history_ids = fields.One2many(
        "crm.lifecycle.history", "partner_id", string="Stage History", groups="crm_lifecycle.group_crm_care_user"
    )
    lifecycle_history_count = fields.Integer(
        compute="_compute_lifecycle_history_count", string="Stage Moves", groups="crm_lifecycle.group_crm_care_user"
    )
    lifecycle_currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_lifecycle_currency_id",
        store=True,
        help="Currency of the customer value figures: the company currency. Stored so that analyses can sum them.",
    )
    first_order_date = fields.Date(readonly=True, copy=False, groups="crm_lifecycle.group_crm_care_user")
    last_order_date = fields.Date(readonly=True, copy=False, index=True, groups="crm_lifecycle.group_crm_care_user")
    order_count = fields.Integer(
        string="Confirmed Orders",
        readonly=True,
        copy=False,
        aggregator="sum",
        groups="crm_lifecycle.group_crm_care_user",
    )
    orders_last_year = fields.Integer(
        string="Orders (Last 365 Days)",
        readonly=True,
        copy=False,
        aggregator="sum",
        groups="crm_lifecycle.group_crm_care_user",
    )
    revenue_last_year = fields.Monetary(
        string="Revenue (Last 365 Days)",
        currency_field="lifecycle_currency_id",
        readonly=True,
        copy=False,
        aggregator="sum",
        groups="crm_lifecycle.group_crm_care_user",
    )
    total_revenue = fields.Monetary(
        currency_field="lifecycle_currency_id",
        readonly=True,
        copy=False,
        aggregator="sum",
        groups="crm_lifecycle.group_crm_care_user",
    )
    average_order_value = fields.Monetary(
        currency_field="lifecycle_currency_id",
        readonly=True,
        copy=False,
        aggregator="avg",
        groups="crm_lifecycle.group_crm_care_user",
    )
    rfm_recency_score = fields.Integer(
        string="Recency Score", readonly=True, copy=False, aggregator="avg", groups="crm_lifecycle.group_crm_care_user"
    )
    rfm_frequency_score = fields.Integer(
        string="Frequency Score",
        readonly=True,
        copy=False,
        aggregator="avg",
        groups="crm_lifecycle.group_crm_care_user",
    )
    rfm_monetary_score = fields.Integer(
        string="Monetary Score", readonly=True, copy=False, aggregator="avg", groups="crm_lifecycle.group_crm_care_user"
    )
    rfm_segment = fields.Selection(
        RFM_SEGMENTS,
        string="RFM Segment",
        readonly=True,
        copy=False,
        index=True,
        groups="crm_lifecycle.group_crm_care_user",
    )
    revenue_percentile = fields.Integer(
        readonly=True,
        copy=False,
        help="Share of customers (in %) whose total revenue is at most this customer's: above 50 is above the median.",
        groups="crm_lifecycle.group_crm_care_user",
    )
    segment_membership_ids = fields.One2many(
        "crm.segment.member",
        "partner_id",
        string="Segment Memberships",
        domain=[("date_left", "=", False)],
        groups="crm_lifecycle.group_crm_care_user",
    )
    segment_ids = fields.Many2many(
        "crm.segment",
        string="Segments",
        compute="_compute_segment_ids",
        search="_search_segment_ids",
        groups="crm_lifecycle.group_crm_care_user",
    )
    customer_lifetime_value = fields.Monetary(
        string="Lifetime Value",
        currency_field="lifecycle_currency_id",
        readonly=True,
        copy=False,
        aggregator="sum",
        groups="crm_lifecycle.group_crm_care_user",
    )
    clv_retention_used = fields.Float(
        string="Lifetime Value Retention Rate",
        compute="_compute_clv_retention_freshness",
        digits=(16, 4),
        groups="crm_lifecycle.group_crm_care_user",
        help="Yearly retention rate (0-1) behind the lifetime value: the company's rate when set, else the "
        "estimate of the lifecycle refresh (see Estimated On).",
    )
    clv_retention_date = fields.Date(
        string="Lifetime Value Estimated On",
        compute="_compute_clv_retention_freshness",
        groups="crm_lifecycle.group_crm_care_user",
        help="Date the retention rate behind the lifetime value was estimated from all customers. The nightly "
        "refresh estimates it again once it is 30 days old and replaces it only when it moved by more than "
        "half a percentage point. Empty when the company sets the rate by hand or before the first refresh.",
    )
    rfm_cut_points_date = fields.Date(
        string="RFM Cut Points Computed On",
        compute="_compute_rfm_cut_points_date",
        groups="crm_lifecycle.group_crm_care_user",
        help="Date the cut points behind the RFM scores and revenue percentile (where each score starts) were "
        "computed from all customers. The nightly refresh checks them every 30 days and replaces them only when "
        "they would change the scores of more than 1 % of the customers; in between, this customer's scores change "
        "only with her own purchases. Empty before the first refresh.",
    )
    lifecycle_missing_rate_count = fields.Integer(
        string="Purchases Without Exchange Rate",
        compute="_compute_lifecycle_missing_rate_count",
        groups="crm_lifecycle.group_crm_care_user",
        help="Purchase ledger rows (confirmed orders, direct invoices, credit notes) of this customer (commercial "
        "entity) in a foreign currency with no exchange rate at or before their date: they count as purchases but "
        "add nothing to revenue and tier spend until a rate is added.",
    )

    purchase_count = fields.Integer(
        string="Purchases",
        compute="_compute_purchase_count",
        groups="crm_lifecycle.group_crm_care_user",
        help="Rows of the purchase ledger of this customer (commercial entity): confirmed orders, direct "
        "invoices and credit notes.",
    )

    purchase_refund_amount = fields.Monetary(
        string="Refunds",
        currency_field="lifecycle_currency_id",
        compute="_compute_purchase_refund_amount",
        groups="crm_lifecycle.group_crm_care_user",
        help="Untaxed amount refunded to this customer (commercial entity) by credit notes and other refunds of "
        "the purchase ledger, in company currency (positive). Revenue and lifetime value are net of it.",
    )

    @api.depends("segment_membership_ids.segment_id")
    def _compute_segment_ids(self):
        for partner in self:
            partner.segment_ids = partner.segment_membership_ids.segment_id

    def _search_segment_ids(self, operator, value):
        return [("segment_membership_ids", "any", [("segment_id", operator, value)])]

    def _ledger_counts(self, condition=None):
        """{commercial entity id: number of purchase ledger rows (crm.purchase) matching `condition` (SQL on
        the ledger's columns, alias l)} for these partners' commercial entities; one query."""
        entities = self.commercial_partner_id
        if not entities.ids:
            return {}
        for model in ("sale.order", "account.move", "account.move.line", "res.currency.rate"):
            self.env[model].flush_model()
        return dict(
            self.env.execute_query(
                SQL(
                    "SELECT l.partner_id, COUNT(*) FROM (%s) l WHERE %s GROUP BY l.partner_id",
                    self.env["crm.purchase"]._get_purchase_sql(partner_ids=entities.ids),
                    condition or SQL("TRUE"),
                )
            )
        )

    def _compute_purchase_refund_amount(self):
        refunds = {}
        for currency in self.lifecycle_currency_id:
            partners = self.filtered(lambda partner, currency=currency: partner.lifecycle_currency_id == currency)
            entities = partners.commercial_partner_id
            if not entities.ids:
                continue
            for model in ("sale.order", "account.move", "account.move.line", "res.currency.rate"):
                self.env[model].flush_model()
            refunds.update(
                self.env.execute_query(
                    SQL(
                        """SELECT l.partner_id, -SUM(l.amount) FROM (%s) l
                            WHERE l.amount_currency < 0 GROUP BY l.partner_id""",
                        self.env["crm.purchase"]._get_purchase_sql(currency.id, partner_ids=entities.ids),
                    )
                )
            )
        for partner in self:
            partner.purchase_refund_amount = refunds.get(partner.commercial_partner_id.id) or 0.0

    def _compute_purchase_count(self):
        counts = self._ledger_counts()
        for partner in self:
            partner.purchase_count = counts.get(partner.commercial_partner_id.id, 0)

    def action_view_purchases(self):
        """The customer's purchase ledger rows (orders, direct invoices, credit notes)."""
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_lifecycle.crm_purchase_action")
        action["domain"] = [("partner_id", "in", self.commercial_partner_id.ids)]
        return action

    def action_view_purchases_without_rate(self):
        """The customer's purchase ledger rows without exchange rate at their date."""
        action = self.action_view_purchases()
        action["context"] = {"search_default_filter_without_rate": 1}
        return action

    @api.depends("company_id")
    def _compute_clv_retention_freshness(self):
        main_company = self.env["res.company"]._get_crm_care_main_company()
        for partner in self:
            company = (partner.company_id or main_company).sudo()
            fixed = company.clv_retention_rate
            partner.clv_retention_used = fixed or company.clv_retention_estimate
            partner.clv_retention_date = not fixed and company.clv_retention_estimate_date

    @api.depends("company_id")
    def _compute_rfm_cut_points_date(self):
        main_company = self.env["res.company"]._get_crm_care_main_company()
        for partner in self:
            partner.rfm_cut_points_date = (partner.company_id or main_company).sudo().rfm_cut_points_date

    def _compute_lifecycle_missing_rate_count(self):
        counts = self._ledger_counts(SQL("l.is_currency_rate_missing"))
        for partner in self:
            partner.lifecycle_missing_rate_count = counts.get(partner.commercial_partner_id.id, 0)

    @api.model
    def _read_group_lifecycle_stage_ids(self, stages, domain):
        # All of them on purpose: seven stages.
        return stages.search([])  # pylint: disable=no-search-all

    @api.depends("company_id")
    def _compute_lifecycle_currency_id(self):
        main_currency = self.env["res.company"].sudo().search([], limit=1).currency_id
        for partner in self:
            partner.lifecycle_currency_id = partner.company_id.currency_id or main_currency

    def _auto_init(self):
        # Fill the new column at installation without computing it partner by partner, and without
        # rewriting every partner: the main company's currency as the column's initial value (kept in
        # PostgreSQL's catalog), then only the partners of a company with another currency updated.
        cr = self.env.cr
        cr.execute(SQL("SELECT currency_id FROM res_company ORDER BY sequence, id LIMIT 1"))
        main_currency = cr.fetchone()
        if main_currency and schema.create_column_filled(
            cr, "res_partner", "lifecycle_currency_id", "int4", main_currency[0]
        ):
            cr.execute(
                SQL(
                    """UPDATE res_partner p
                          SET lifecycle_currency_id = c.currency_id
                         FROM res_company c
                        WHERE c.id = p.company_id AND c.currency_id != %s""",
                    main_currency[0],
                )
            )
        self._care_init_next_birthday_column()
        return super()._auto_init()

    def _care_init_next_birthday_column(self):
        """Create the stored next_birthday column filled in one statement, so that installing on a large
        database does not compute it partner by partner (none to fill when birthday is new too)."""
        if not column_exists(self.env.cr, "res_partner", "next_birthday"):
            create_column(self.env.cr, "res_partner", "next_birthday", "date")
            if column_exists(self.env.cr, "res_partner", "birthday"):
                self._care_roll_next_birthdays(self.env.company._get_lifecycle_today()[0])

    def _compute_lifecycle_history_count(self):
        counts = dict(
            self.env["crm.lifecycle.history"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.lifecycle_history_count = counts.get(partner.commercial_partner_id, 0)

    @api.constrains("lifecycle_locked", "lifecycle_lock_reason")
    def _check_lifecycle_lock_reason(self):
        for partner in self:
            if partner.lifecycle_locked and not (partner.lifecycle_lock_reason or "").strip():
                raise ValidationError(self.env._("Locking the lifecycle stage of %s needs a reason.", partner.name))

    @api.model_create_multi
    def create(self, vals_list):
        # default_* context keys (an RPC client sets the context) count as much as the values given
        defaults = {
            key[len("default_") :] for key, value in self.env.context.items() if key.startswith("default_") and value
        }
        if LIFECYCLE_LOCK_FIELDS & defaults or any(
            vals.get(name) for vals in vals_list for name in LIFECYCLE_LOCK_FIELDS
        ):
            self._check_lifecycle_lock_access()
        return super().create(vals_list)

    def write(self, vals):
        if LIFECYCLE_LOCK_FIELDS & vals.keys():
            self._check_lifecycle_lock_access()
        return super().write(vals)

    def _check_lifecycle_lock_access(self):
        """The stage, its lock and its reason change through the lock wizard, the unlock action and the
        refreshes (run as superuser), never by a direct create or write of someone who is not a Customer
        Care manager (RPC included)."""
        if not self.env.su and not self.env.user.has_group("crm_lifecycle.group_crm_care_manager"):
            raise AccessError(
                self.env._("Only Customer Care managers can lock, unlock or set the lifecycle stage of a customer.")
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _check_lifecycle_manager(self):
        if not self.env.su and not self.env.user.has_group("crm_lifecycle.group_crm_care_manager"):
            raise AccessError(self.env._("Only Customer Care managers can do this."))

    def action_lifecycle_refresh(self):
        """Button "Refresh now": recompute the selected customers' metrics and stage at once."""
        self._check_lifecycle_manager()
        self.sudo()._lifecycle_refresh(reason="manual")
        return True

    def action_lifecycle_unlock(self):
        self._check_lifecycle_manager()
        partners = self.commercial_partner_id.filtered("lifecycle_locked")
        partners.write({"lifecycle_locked": False, "lifecycle_lock_reason": False})
        partners.sudo()._lifecycle_refresh(reason="manual")
        return True

    def action_lifecycle_lock(self):
        self._check_lifecycle_manager()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Lock Lifecycle Stage"),
            "res_model": "crm.lifecycle.lock.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": self.commercial_partner_id[:1].id,
                "default_stage_id": self.commercial_partner_id[:1].lifecycle_stage_id.id,
            },
        }

    def action_view_orders_without_rate(self):
        """The customer's confirmed orders without exchange rate (Sales' order list, filter applied)."""
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action["domain"] = [
            ("partner_id", "child_of", self.commercial_partner_id.ids),
            ("state", "=", "sale"),
            ("is_currency_rate_missing", "=", True),
        ]
        action["context"] = {"create": False}
        return action

    def action_view_lifecycle_history(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_lifecycle.crm_lifecycle_history_action")
        action["domain"] = [("partner_id", "in", self.commercial_partner_id.ids)]
        action["context"] = {"search_default_group_by_date": False}
        return action

    # ------------------------------------------------------------------
    # Refresh of selected customers (order events, buttons, merges)
    # ------------------------------------------------------------------

    def _crm_care_refresh_purchases(self):
        """These customers' purchases changed (an invoice, a credit note, a bridge's source such as a POS
        order): refresh, in this transaction, what CRM Care derives from the purchase ledger. Other addons
        extend it (crm_loyalty: the tier)."""
        self._lifecycle_refresh(reason="order")

    def _lifecycle_refresh(self, reason="order", orders=None):
        """Recompute metrics and stage of these partners' commercial entities, in this transaction.

        A constant number of queries whatever the customers' order history: one statement computes and
        writes the metrics of every entity of a company, then the stage changes are written with their tracking
        and history (`_lifecycle_apply_stage_changes`).
        RFM scores and the revenue percentile are scored at once against the company's stored cut points
        (estimated by the nightly run from all customers); before the first run has stored any, they are kept.
        """
        partners = self.commercial_partner_id
        if not partners:
            return
        by_company = defaultdict(list)
        for partner in partners:
            by_company[partner.company_id or self.env.company].append(partner.id)
        run_model = self.env["crm.lifecycle.run"]
        columns = (*METRIC_COLUMNS, *RFM_COLUMNS)
        moves = []
        self.env.flush_all()  # the query reads orders, leads and partners as this transaction left them
        for company, partner_ids in by_company.items():
            params = run_model._get_lifecycle_params(company, full=False)
            moves += self.env.execute_query(
                SQL(
                    """
                    WITH q AS (%(query)s), upd AS (
                        UPDATE res_partner p SET %(assign)s
                          FROM q
                         WHERE p.commercial_partner_id = q.partner_id AND (%(differs)s)
                    )
                    SELECT q.partner_id, q.stage_id, q.stage_date, q.old_stage_id
                      FROM q
                     WHERE NOT q.locked AND q.stage_id IS DISTINCT FROM q.old_stage_id
                    """,
                    query=run_model._get_metrics_query(params, partner_ids),
                    assign=_assignments(columns, "q"),
                    differs=_differs(columns, "p", "q"),
                )
            )
        self.invalidate_model(list(columns))
        order_by_partner = {order.partner_id.commercial_partner_id.id: order.id for order in orders or ()}
        self._lifecycle_apply_stage_changes(moves, reason=reason, order_by_partner=order_by_partner)

    @api.model
    def _lifecycle_apply_stage_changes(self, moves, reason, order_by_partner=None):
        """Write stage changes with their chatter tracking and stage history; returns the number of errors.

        moves: (partner_id, stage_id, stage_date, old_stage_id) of commercial entities; reason: the history
        lines' reason (order, time, manual, stage_retired); order_by_partner: {partner id: sale order id}.
        Set-based when nothing needs to see each change through the ORM (`_lifecycle_write_stages_sql`:
        the same stage, tracking message and history line as `write()` gives); the others (an active
        Automation Rule on contacts' updates, a churn reason to clear...) go through `write()`, grouped by
        target stage, so that Automation Rules see every change. A change that fails there (a broken
        automation, a constraint) is logged and skipped; the others go on.
        """
        if not moves:
            return 0
        order_by_partner = order_by_partner or {}
        orm_moves = self._lifecycle_write_stages_sql(moves, reason, order_by_partner)
        groups = defaultdict(list)
        for partner_id, stage_id, stage_date, old_stage_id in orm_moves:
            groups[stage_id, stage_date].append((partner_id, old_stage_id))
        history_vals = []
        errors = 0
        for (stage_id, stage_date), members in groups.items():
            vals = {"lifecycle_stage_id": stage_id, "lifecycle_stage_date": stage_date}
            partners = self.browse([partner_id for partner_id, __ in members])
            try:
                with self.env.cr.savepoint():
                    partners.write(vals)
                done = members
            except Exception:  # noqa: BLE001 - isolate the failing customer, keep the batch going
                done = []
                for member in members:
                    try:
                        with self.env.cr.savepoint():
                            self.browse(member[0]).write(vals)
                        done.append(member)
                    except Exception:  # noqa: BLE001
                        errors += 1
                        self.env["crm.lifecycle.run"]._log_stage_error(member[0], stage_id)
            history_vals += [
                {
                    "partner_id": partner_id,
                    "from_stage_id": old_stage_id,
                    "to_stage_id": stage_id,
                    "date": stage_date or self.env.company._get_lifecycle_today()[0],
                    "reason": reason,
                    "order_id": order_by_partner.get(partner_id),
                    "user_id": self.env.uid,
                }
                for partner_id, old_stage_id in done
            ]
        self.env["crm.lifecycle.history"].sudo().create(history_vals)
        self._lifecycle_sync_contacts([move[0] for move in moves])
        return errors

    @api.model
    def _lifecycle_sync_contacts(self, partner_ids=None):
        """Copy the lifecycle values of commercial entities onto their contacts (set-based)."""
        self._crm_care_sync_contacts(CONTACT_COLUMNS, partner_ids)

    @api.model
    def _crm_care_sync_contacts(self, columns, partner_ids=None):
        """Copy `columns` of commercial entities (all of them, or `partner_ids`) onto their contacts, in one
        UPDATE of the contacts whose values differ."""
        if partner_ids is not None and not partner_ids:
            return
        self.flush_model()
        only = SQL("AND cp.id IN %s", tuple(partner_ids)) if partner_ids is not None else SQL()
        self.env.cr.execute(
            SQL(
                """UPDATE res_partner c SET %(assign)s
                     FROM res_partner cp
                    WHERE c.parent_id IS NOT NULL AND c.commercial_partner_id = cp.id AND c.id != cp.id %(only)s
                      AND (%(differs)s)""",
                assign=_assignments(columns, "cp"),
                differs=_differs(columns, "c", "cp"),
                only=only,
            )
        )
        self.invalidate_model(list(columns))

    birthday = fields.Date(tracking=True, groups="crm_lifecycle.group_crm_care_user")
    next_birthday = fields.Date(
        compute="_compute_next_birthday",
        store=True,
        index="btree_not_null",
        help="The next day this contact's birthday is celebrated (29 February on 28 February in other years).",
        groups="crm_lifecycle.group_crm_care_user",
    )
    care_opt_out = fields.Boolean(
        string="No care or marketing messages",
        tracking=True,
        help="Care campaigns send this contact no message, call or visit.",
        groups="base.group_user",
    )
    care_touch_ids = fields.One2many("crm.care.touch", "partner_id", string="Care Touches", groups="base.group_user")
    care_touch_count = fields.Integer(compute="_compute_care_touch_count", string="Care", groups="base.group_user")
    # The partner form's Customer Care summary: the customer's last and next care touch.
    care_last_touch_id = fields.Many2one(
        "crm.care.touch",
        string="Last Care Touch",
        compute="_compute_care_touch_summary",
        groups="crm_lifecycle.group_crm_care_user",
        help="The latest care touch done (message, call, visit...) for this customer: its company and contacts.",
    )
    care_last_touch_date = fields.Datetime(
        string="Last Care Touch On",
        compute="_compute_care_touch_summary",
        groups="crm_lifecycle.group_crm_care_user",
        help="When the last care touch was done.",
    )
    care_last_touch_campaign_id = fields.Many2one(
        "crm.care.campaign",
        string="Last Care Campaign",
        compute="_compute_care_touch_summary",
        groups="crm_lifecycle.group_crm_care_user",
        help="The campaign of the last care touch.",
    )
    care_next_touch_id = fields.Many2one(
        "crm.care.touch",
        string="Next Care Touch",
        compute="_compute_care_touch_summary",
        groups="crm_lifecycle.group_crm_care_user",
        help="The next planned care touch of this customer (its company and contacts): the earliest planned day.",
    )
    care_next_touch_date = fields.Date(
        string="Next Care Touch On",
        compute="_compute_care_touch_summary",
        groups="crm_lifecycle.group_crm_care_user",
        help="The day the next care touch is planned for.",
    )
    care_next_touch_campaign_id = fields.Many2one(
        "crm.care.campaign",
        string="Next Care Campaign",
        compute="_compute_care_touch_summary",
        groups="crm_lifecycle.group_crm_care_user",
        help="The campaign of the next care touch.",
    )

    # Planning a birthday campaign finds the day's birthdays through this index.
    _birthday_month_day_idx = models.Index(
        "((EXTRACT(MONTH FROM birthday) * 100 + EXTRACT(DAY FROM birthday))) WHERE birthday IS NOT NULL"
    )

    @api.depends("birthday")
    def _compute_next_birthday(self):
        for partner in self:
            company = partner.company_id or self.env["res.company"]._get_crm_care_main_company()
            today = company._get_lifecycle_today()[0]
            partner.next_birthday = care_dates.next_birthday(partner.birthday, today)

    def _compute_care_touch_count(self):
        if not self.env["crm.care.touch"].has_access("read"):
            self.care_touch_count = 0
            return
        counts = dict(
            self.env["crm.care.touch"]._read_group([("partner_id", "in", self.ids)], ["partner_id"], ["__count"])
        )
        for partner in self:
            partner.care_touch_count = counts.get(partner, 0)

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_care_touch_summary(self):
        self.care_last_touch_id = self.care_next_touch_id = False
        self.care_last_touch_date = self.care_next_touch_date = False
        self.care_last_touch_campaign_id = self.care_next_touch_campaign_id = False
        Touch = self.env["crm.care.touch"]
        entities = self.commercial_partner_id
        if not entities or not Touch.has_access("read"):
            return
        base = [("partner_id.commercial_partner_id", "in", entities.ids)]
        # The touches the user may read (record rules through _search), one row per customer: two queries.
        last = self._care_touch_per_entity(Touch._search([*base, ("state", "=", "done")]), SQL("t.date_done DESC"))
        upcoming = Touch._search([*base, ("state", "=", "planned")])
        following = self._care_touch_per_entity(upcoming, SQL("t.date_planned ASC"))
        for partner in self:
            entity = partner.commercial_partner_id.id
            done, planned = Touch.browse(last.get(entity)), Touch.browse(following.get(entity))
            partner.care_last_touch_id = done
            partner.care_last_touch_date = done.date_done
            partner.care_last_touch_campaign_id = done.campaign_id
            partner.care_next_touch_id = planned
            partner.care_next_touch_date = planned.date_planned
            partner.care_next_touch_campaign_id = planned.campaign_id

    def _care_touch_per_entity(self, query, order):
        """{commercial entity id: touch id}: the first touch of `query` (an access-checked Query on
        crm.care.touch) in `order` (SQL on alias t) for each commercial entity."""
        rows = self.env.execute_query(
            SQL(
                """SELECT DISTINCT ON (p.commercial_partner_id) p.commercial_partner_id, t.id
                     FROM crm_care_touch t
                     JOIN res_partner p ON p.id = t.partner_id
                    WHERE t.id IN %(touches)s
                 ORDER BY p.commercial_partner_id, %(order)s, t.id DESC""",
                touches=query.subselect(),
                order=order,
            )
        )
        return dict(rows)

    @api.constrains("birthday")
    def _check_birthday(self):
        for partner in self.filtered("birthday"):
            company = partner.company_id or self.env["res.company"]._get_crm_care_main_company()
            if partner.birthday > company._get_lifecycle_today()[0]:
                raise ValidationError(
                    self.env._("The birthday of %(partner)s cannot be in the future.", partner=partner.display_name)
                )
            if partner.birthday < care_dates.EARLIEST_BIRTHDAY:
                raise ValidationError(
                    self.env._("The birthday of %(partner)s cannot be before 1900.", partner=partner.display_name)
                )

    def action_view_care_touches(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_lifecycle.crm_care_touch_action")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id, "search_default_group_by_state": False}
        return action

    @api.model
    def _care_roll_next_birthdays(self, today):
        """Move the next birthdays that have passed to the following year (set-based)."""
        self.flush_model(["birthday", "next_birthday"])
        year = SQL("%s::int", today.year)
        self.env.cr.execute(
            SQL(
                """UPDATE res_partner
                      SET next_birthday = CASE WHEN %(this_year)s >= %(today)s THEN %(this_year)s ELSE %(next_year)s END
                    WHERE birthday IS NOT NULL AND (next_birthday IS NULL OR next_birthday < %(today)s)""",
                this_year=care_dates.birthday_in_year_sql(SQL("birthday"), year),
                next_year=care_dates.birthday_in_year_sql(SQL("birthday"), SQL("%s::int", today.year + 1)),
                today=today,
            )
        )
        self.invalidate_model(["next_birthday"])
        return self.env.cr.rowcount
