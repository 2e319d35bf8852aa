import logging
import random
from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Command
from odoo.tools import SQL

from ..tools import business_time
from .crm_batch_run import _assignments, _differs, _version

_logger = logging.getLogger(__name__)

# Columns written on res.partner by a refresh, copied to the commercial entity's contacts.
METRIC_COLUMNS = (
    "first_order_date",
    "last_order_date",
    "order_count",
    "orders_last_year",
    "revenue_last_year",
    "total_revenue",
    "average_order_value",
    "customer_lifetime_value",
)
RFM_COLUMNS = ("rfm_recency_score", "rfm_frequency_score", "rfm_monetary_score", "rfm_segment", "revenue_percentile")
# Columns of a commercial entity a run line is computed from: when one of them changed between the run's
# preparation and its application (an order, a lock), the line is recomputed instead of applied.
VERSION_COLUMNS = (
    *METRIC_COLUMNS,
    *RFM_COLUMNS,
    "lifecycle_stage_id",
    "lifecycle_stage_date",
    "lifecycle_locked",
    "lifecycle_lock_reason",
)
# rfm_segment by recency score (keys) and frequency score (position 1 to 5 in each list).
RFM_SEGMENT_MATRIX = {
    1: ("hibernating", "hibernating", "at_risk", "at_risk", "cannot_lose"),
    2: ("hibernating", "hibernating", "at_risk", "at_risk", "cannot_lose"),
    3: ("about_to_sleep", "about_to_sleep", "need_attention", "loyal", "loyal"),
    4: ("promising", "potential_loyalist", "potential_loyalist", "loyal", "loyal"),
    5: ("new", "potential_loyalist", "potential_loyalist", "champion", "champion"),
}
CHUNK_SIZE = 20000
# The retention rate of the lifetime value is a population-wide estimate that moves a little every day;
# rewriting every customer's lifetime value for it would be writes, WAL and vacuum for numbers nobody looks
# at. So a full run estimates it again only once the estimate in use is RETENTION_PERIOD_DAYS old, and
# replaces it (with every lifetime value) only when the new estimate differs from it by more than
# RETENTION_PRECISION (0.5 percentage point); else the estimate in use stays and is checked again the next
# night. Estimates are rounded to RETENTION_DIGITS decimals and stored with their date.
RETENTION_PERIOD_DAYS = 30
RETENTION_PRECISION = 0.005
RETENTION_DIGITS = 4
# RFM scores (1-5) and the revenue percentile (1-100) place a customer among all customers, but a customer who
# did nothing must not be rewritten because others did: every customer is scored against cut points stored per
# company (res.company.rfm_cut_points: the last-purchase dates, purchase counts and amounts from which each score
# starts, and the first day of the window the frequency and monetary values count). A full run estimates them
# again from all customers once they were checked RFM_PERIOD_DAYS ago (or when there are none: a new company, a
# new RFM window), and replaces them only when the new ones would change the stored scores of more than
# RFM_PRECISION (1 %) of the scored customers; else the cut points in use stay (checked again in 30 days).
RFM_PERIOD_DAYS = 30
RFM_PRECISION = 0.01
# Key of the advisory lock that makes preparing a run single-worker ("crm_lifecycle" as a number).
PREPARE_LOCK_KEY = 0x63726D6C6966


class CrmLifecycleRun(models.Model):
    """One full refresh of the customer lifecycle: a log for admins and the unit of resumption.

    A run is prepared in one transaction (every commercial entity's metrics, RFM scores, lifetime value
    and stage computed by one set-based query, the changed ones stored as run lines cut in chunks), then
    applied chunk by chunk, each chunk in its own transaction. A run killed half-way resumes with the
    chunks it had not finished; two workers share the chunks (SKIP LOCKED).
    """

    _name = "crm.lifecycle.run"
    _inherit = ["crm.batch.run.mixin"]
    _description = "Customer Lifecycle Refresh"

    _batch_line_model = "crm.lifecycle.run.line"
    _batch_chunk_model = "crm.lifecycle.run.chunk"
    _batch_lock_key = PREPARE_LOCK_KEY
    _batch_counters = ("changed_count", "stage_change_count", "error_count")

    changed_count = fields.Integer(string="Customers Updated")
    stage_change_count = fields.Integer(string="Stage Changes", readonly=True)

    # ------------------------------------------------------------------
    # Settings and the metrics query (shared by the nightly run and order events)
    # ------------------------------------------------------------------

    @api.model
    def _get_lifecycle_params(self, company, full=True):
        """Query parameters for one company: its date, its thresholds and UTC instants of day starts."""
        today, tz = company._get_lifecycle_today()

        def younger_than(days):
            """First UTC instant of the local day from which an order is younger than `days` days."""
            return business_time.day_start_utc(tz, today - timedelta(days=days - 1))

        retention = company.clv_retention_rate or None
        if not full and retention is None:
            retention = company.clv_retention_estimate or 0.5
        # The estimate in use, when a full run estimated one already, and whether it is due to be estimated
        # again (see RETENTION_PERIOD_DAYS).
        estimated_on = company.clv_retention_estimate_date
        stored_retention = company.clv_retention_estimate if estimated_on else None
        retention_due = not estimated_on or (today - estimated_on).days >= RETENTION_PERIOD_DAYS
        # The RFM cut points in use (see RFM_PERIOD_DAYS): frequency and monetary values count the purchases from
        # their window's first day, so that nobody's values move between two estimations without a purchase.
        rfm_cuts = company.rfm_cut_points or None
        rfm_checked_on = company.rfm_cut_points_check_date
        rfm_due = not rfm_cuts or not rfm_checked_on or not 0 <= (today - rfm_checked_on).days < RFM_PERIOD_DAYS
        if rfm_cuts:
            rfm_start = business_time.day_start_utc(tz, fields.Date.to_date(rfm_cuts["window_start"]))
        else:
            rfm_start = younger_than(company.rfm_window_days)
        return {
            "company_id": company.id,
            "default_company_id": self.env.company.id,
            "currency_id": company.currency_id.id,
            "digits": company.currency_id.decimal_places,
            "today": today,
            "tz": tz,
            "new_days": company.lifecycle_new_days,
            "active_days": company.lifecycle_active_days,
            "churn_days": company.lifecycle_churn_days,
            "loyal_min": company.lifecycle_loyal_min_orders,
            "year_start": younger_than(365),
            "prev_year_start": younger_than(730),
            "rfm_start": rfm_start,
            "rfm_cuts": rfm_cuts,
            "rfm_due": rfm_due,
            "margin": company.clv_margin_rate,
            "discount": company.clv_discount_rate,
            "horizon": company.clv_horizon_years,
            "retention": retention,
            "stored_retention": stored_retention,
            "retention_due": retention_due,
        }

    @api.model
    def _get_order_rate_sql(self, currency, alias="so", date=None):
        """SQL scalar: the rate of `currency` (SQL) on the order's date (its UTC day, as Odoo dates the
        order's own rate), from the rates of the order's root company or the shared ones, the company's
        first, the latest at or before that day, as `res.currency._get_rates` picks it. NULL when there is
        none at or before that day (Odoo then falls back to a later rate or to 1.0).
        date: SQL of the rate date of other documents (an invoice's date), instead of the order's UTC day."""
        return SQL(
            """(SELECT r.rate FROM res_currency_rate r
                 JOIN res_company rc ON rc.id = %(so)s.company_id
                WHERE r.currency_id = %(currency)s AND r.name <= %(date)s
                  AND (r.company_id IS NULL OR r.company_id = split_part(rc.parent_path, '/', 1)::int)
                ORDER BY r.company_id, r.name DESC LIMIT 1)""",
            so=SQL.identifier(alias),
            currency=currency,
            date=date or SQL("%s::date", SQL.identifier(alias, "date_order")),
        )

    @api.model
    def _get_order_without_rate_sql(self, alias="so", company_currency=None, date=None):
        """SQL condition: the order is in a currency other than its company's and that currency has no rate
        at or before the order's date. Odoo then stores currency_rate = 1.0 on the order, as if the amounts
        were in company currency: such an order counts as an order but adds no amount until a rate exists.
        company_currency: SQL of the order company's currency when the query joins the company already.
        date: SQL of the rate date of other documents (see `_get_order_rate_sql`)."""
        company_currency = company_currency or SQL(
            "(SELECT currency_id FROM res_company WHERE id = %s)", SQL.identifier(alias, "company_id")
        )
        return SQL(
            "(%(so)s.currency_id != %(own)s AND %(rate)s IS NULL)",
            so=SQL.identifier(alias),
            own=company_currency,
            rate=self._get_order_rate_sql(SQL.identifier(alias, "currency_id"), alias, date),
        )

    @api.model
    def _get_order_amount_sql(self, company_currency_id, alias="so", date=None):
        """An order's untaxed amount in the currency `company_currency_id` (an id or SQL), converted with
        the rate table at the order's date (`_get_order_rate_sql`), not with the order's stored
        currency_rate: Odoo stores 1.0 there when the currency had no rate, and never updates it.

        An order in a foreign currency without a rate at or before its date adds no amount (NULL) until
        an accountant adds the rate; the next refresh then counts it. The target currency and the order's
        company currency without a rate count as 1.0, as in Odoo. Other addons reuse it so every CRM Care
        figure agrees. date: SQL of the rate date of other documents (see `_get_order_rate_sql`).
        """
        so = SQL.identifier(alias)
        own_currency = SQL("(SELECT currency_id FROM res_company WHERE id = %s)", SQL.identifier(alias, "company_id"))
        return SQL(
            """CASE WHEN %(so)s.currency_id = %(currency)s THEN %(so)s.amount_untaxed::numeric
                    ELSE %(so)s.amount_untaxed::numeric * COALESCE(%(target_rate)s, 1.0)::numeric
                         / NULLIF(COALESCE(%(order_rate)s,
                                           CASE WHEN %(so)s.currency_id = %(own_currency)s THEN 1.0 END), 0)::numeric
               END""",
            so=so,
            currency=company_currency_id,
            target_rate=self._get_order_rate_sql(company_currency_id, alias, date),
            order_rate=self._get_order_rate_sql(SQL.identifier(alias, "currency_id"), alias, date),
            own_currency=own_currency,
        )

    @api.model
    def _get_metrics_purchases_sql(self, params, partner_ids=None):
        """SELECT of the purchase figures per commercial entity, from the purchase ledger (crm.purchase):
        only purchases count as orders (net above zero: not a fully refunded or zero-amount order), every
        net amount adds to revenue (refunds netted on the purchase they belong to, a refund of no purchase
        on its own date). Columns: partner_id, first_dt, last_dt (UTC instants), order_count,
        orders_last_year, revenue_last_year, total_revenue, rfm_frequency, rfm_monetary, ordered_prev_year.
        """
        totals = self.env["crm.purchase"]._get_purchase_totals_sql(
            params["currency_id"], params["tz"], partner_ids, until=params["today"]
        )
        return SQL(
            """SELECT pu.partner_id,
                      MIN(pu.date_order) FILTER (WHERE pu.counted) AS first_dt,
                      MAX(pu.date_order) FILTER (WHERE pu.counted) AS last_dt,
                      COUNT(*) FILTER (WHERE pu.counted) AS order_count,
                      COUNT(*) FILTER (WHERE pu.counted AND pu.date_order >= %(year_start)s) AS orders_last_year,
                      SUM(pu.amount) FILTER (WHERE pu.date_order >= %(year_start)s) AS revenue_last_year,
                      SUM(pu.amount) AS total_revenue,
                      COUNT(*) FILTER (WHERE pu.counted AND pu.date_order >= %(rfm_start)s) AS rfm_frequency,
                      SUM(pu.amount) FILTER (WHERE pu.date_order >= %(rfm_start)s) AS rfm_monetary,
                      BOOL_OR(pu.counted AND pu.date_order >= %(prev_year_start)s
                              AND pu.date_order < %(year_start)s) AS ordered_prev_year
                 FROM (%(totals)s) pu
                GROUP BY pu.partner_id""",
            totals=totals,
            year_start=params["year_start"],
            rfm_start=params["rfm_start"],
            prev_year_start=params["prev_year_start"],
        )

    @api.model
    def _get_metrics_query(self, params, partner_ids=None):
        """SELECT computing, per commercial entity, every lifecycle value and the stage it should have.

        Without partner_ids: every commercial entity of params' company that has orders, an open
        pipeline or lifecycle values to reset, with the retention rate estimated from them. With partner_ids
        (commercial entities): only those. Both score RFM against the company's stored cut points
        (params' rfm_cuts, see `_estimate_rfm_cut_points`); without cut points selected customers keep theirs.
        Columns: partner_id, METRIC_COLUMNS, RFM_COLUMNS, stage_id, stage_date, old_stage_id, old_stage_date,
        old_<column> (the stored value of each metric and RFM column), locked,
        retention_rate.

        One named piece per rule, each a method: agg (_get_metrics_purchases_sql: the purchase figures),
        pipeline (_metrics_cte_pipeline), base (_metrics_cte_base: who is a customer, stored values),
        retention (_metrics_cte_retention), rfm (_metrics_cte_rfm), staged (_metrics_cte_staged: the stage
        rules) and the final SELECT (_metrics_select: averages, CLV, RFM segment, stage and its date).
        """
        return SQL(
            """
            WITH agg AS (
                %(agg)s
            ), pipeline AS (
                %(pipeline)s
            ), base AS (
                %(base)s
            ), retention AS MATERIALIZED (
                %(retention)s
            ), rfm AS (
                %(rfm)s
            ), staged AS (
                %(staged)s
            )
            %(select)s
            """,
            agg=self._get_metrics_purchases_sql(params, partner_ids),
            pipeline=self._metrics_cte_pipeline(params, partner_ids),
            base=self._metrics_cte_base(params, partner_ids),
            retention=self._metrics_cte_retention(params, partner_ids),
            rfm=self._metrics_cte_rfm(params, partner_ids),
            staged=self._metrics_cte_staged(params),
            select=self._metrics_select(params),
        )

    @api.model
    def _metrics_cte_pipeline(self, params, partner_ids=None):
        """CTE pipeline: the commercial entities (of partner_ids, or all) with an open opportunity or an open
        quotation. Column: partner_id."""
        only = SQL("AND p.commercial_partner_id IN %s", tuple(partner_ids)) if partner_ids is not None else SQL()
        return SQL(
            """SELECT p.commercial_partner_id AS partner_id
                  FROM crm_lead l
                  JOIN res_partner p ON p.id = l.partner_id
                 WHERE l.active AND l.won_status = 'pending' %(only)s
                 UNION
                SELECT p.commercial_partner_id
                  FROM sale_order so
                  JOIN res_partner p ON p.id = so.partner_id
                 WHERE so.state IN ('draft', 'sent') %(only)s""",
            only=only,
        )

    @api.model
    def _metrics_cte_base(self, params, partner_ids=None):
        """CTE base: the customers of params' company (commercial entities with purchases, an open pipeline,
        or lifecycle values to reset), their purchase figures from agg (dates in the company's time zone,
        amounts rounded to the currency) and their stored values (old_*)."""
        only_cp = SQL("AND cp.id IN %s", tuple(partner_ids)) if partner_ids is not None else SQL()
        return SQL(
            """SELECT cp.id AS partner_id,
                       COALESCE(cp.lifecycle_locked, FALSE) AS locked,
                       cp.lifecycle_stage_id AS old_stage_id,
                       os.code AS old_code,
                       cp.lifecycle_stage_date AS old_stage_date,
                       cp.rfm_recency_score AS old_r,
                       cp.rfm_frequency_score AS old_f,
                       cp.rfm_monetary_score AS old_m,
                       cp.revenue_percentile AS old_pct,
                       %(old_columns)s,
                       (a.first_dt AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date AS first_order_date,
                       (a.last_dt AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date AS last_order_date,
                       COALESCE(a.order_count, 0) AS order_count,
                       COALESCE(a.orders_last_year, 0) AS orders_last_year,
                       ROUND(COALESCE(a.revenue_last_year, 0), %(digits)s) AS revenue_last_year,
                       ROUND(COALESCE(a.total_revenue, 0), %(digits)s) AS total_revenue,
                       COALESCE(a.rfm_frequency, 0) AS rfm_frequency,
                       ROUND(COALESCE(a.rfm_monetary, 0), %(digits)s) AS rfm_monetary,
                       COALESCE(a.ordered_prev_year, FALSE) AS ordered_prev_year,
                       pl.partner_id IS NOT NULL AS has_pipeline
                  FROM res_partner cp
                  LEFT JOIN agg a ON a.partner_id = cp.id
                  LEFT JOIN pipeline pl ON pl.partner_id = cp.id
                  LEFT JOIN crm_lifecycle_stage os ON os.id = cp.lifecycle_stage_id
                 WHERE cp.id = cp.commercial_partner_id %(only_cp)s
                   AND COALESCE(cp.company_id, %(default_company_id)s) = %(company_id)s
                   -- customers: orders, an open pipeline, or values to reset
                   AND (a.partner_id IS NOT NULL OR pl.partner_id IS NOT NULL
                        OR cp.lifecycle_stage_id IS NOT NULL OR cp.order_count > 0)""",
            old_columns=SQL(", ").join(
                SQL("%s AS %s", SQL.identifier("cp", col), SQL.identifier(f"old_{col}"))
                for col in (*METRIC_COLUMNS, *RFM_COLUMNS)
            ),
            tz=params["tz"],
            digits=params["digits"],
            only_cp=only_cp,
            default_company_id=params["default_company_id"],
            company_id=params["company_id"],
        )

    @api.model
    def _metrics_cte_retention(self, params, partner_ids=None):
        """CTE retention: the yearly retention rate of the CLV. The company's rate when set; for selected
        customers (partner_ids) the stored estimate; in a full run the stored estimate until it is due again
        (params' retention_due, RETENTION_PERIOD_DAYS), then estimated from base (customers of the previous
        year who ordered again this year, 0.5 without such customers, rounded to RETENTION_DIGITS), the
        stored estimate (params' stored_retention) being kept while the new one differs from it by
        RETENTION_PRECISION or less, so that the lifetime values do not move with every small daily change.
        Column: rate."""
        if partner_ids is not None:
            return SQL("SELECT %s::float AS rate", params["retention"])
        if params["retention"] is None and not params["retention_due"]:
            return SQL("SELECT %s::float AS rate", params["stored_retention"])
        return SQL(
            """SELECT CASE WHEN %(fixed)s::float IS NOT NULL THEN %(fixed)s::float
                           WHEN %(stored)s::float IS NOT NULL
                                AND ABS(e.rate - %(stored)s::float) <= %(precision)s THEN %(stored)s::float
                           ELSE e.rate
                      END AS rate
                 FROM (SELECT ROUND(COALESCE(
                                  (COUNT(*) FILTER (WHERE ordered_prev_year AND orders_last_year > 0))::numeric
                                  / NULLIF(COUNT(*) FILTER (WHERE ordered_prev_year), 0),
                                  0.5), %(digits)s)::float AS rate
                         FROM base) e""",
            fixed=params["retention"],
            stored=params["stored_retention"],
            precision=RETENTION_PRECISION,
            digits=RETENTION_DIGITS,
        )

    @api.model
    def _metrics_cte_rfm(self, params, partner_ids=None):
        """CTE rfm: the RFM scores (1-5) and revenue percentile (1-100) of customers with purchases, scored
        against the company's stored cut points (params' rfm_cuts): a score is 1 plus the number of its cut
        points the customer's value reaches (last purchase on or after the date; purchase count, net amount
        in the window or total revenue at least the figure). Without cut points, selected customers
        (partner_ids) keep their stored scores, and a full run has none to give (no customer with purchases).
        Columns: partner_id, r, f, m, pct."""
        cuts = params["rfm_cuts"]
        if partner_ids is not None and not cuts:
            return SQL(
                """SELECT partner_id, old_r AS r, old_f AS f, old_m AS m, old_pct AS pct
                     FROM base
                    WHERE order_count > 0"""
            )
        cuts = cuts or {}
        return SQL(
            """SELECT partner_id,
                      1 + width_bucket(last_order_date, %(recency)s::date[]) AS r,
                      1 + width_bucket(rfm_frequency::bigint, %(frequency)s::bigint[]) AS f,
                      1 + width_bucket(rfm_monetary::numeric, %(monetary)s::numeric[]) AS m,
                      1 + width_bucket(total_revenue::numeric, %(revenue)s::numeric[]) AS pct
                 FROM base
                WHERE order_count > 0""",
            recency=cuts.get("recency"),
            frequency=cuts.get("frequency"),
            monetary=cuts.get("monetary"),
            revenue=cuts.get("revenue"),
        )

    @api.model
    def _estimate_rfm_cut_points(self, company, params):
        """Estimate the company's RFM cut points from all its customers with purchases and store them when due.

        The scores of a fresh estimate are the ranks of today's values: ceil(5 x cume_dist) over the last
        purchase date, the purchases and net amount since the window's first day (today - rfm_window_days + 1)
        and, for the percentile, ceil(100 x cume_dist) over the total revenue; ties share a score. A score's
        cut point is the smallest value of the customers having at least that score, so scoring today's values
        against the cut points gives exactly those ranks, and scoring later values gives the same scale.

        The new cut points replace the stored ones (with today's date) when there are none or when they would
        change the stored scores of more than RFM_PRECISION of the customers; else the stored ones stay and only
        their check date moves to today (next estimation RFM_PERIOD_DAYS later). Nothing is stored without a
        customer with purchases. Returns params, with the new cut points and window when they replace the old.
        """
        window_start = params["today"] - timedelta(days=company.rfm_window_days - 1)
        new_params = dict(params, rfm_start=business_time.day_start_utc(params["tz"], window_start))

        def cut_points(column, score, top):
            return SQL(
                "ARRAY[%s]",
                SQL(", ").join(
                    SQL("MIN(%s) FILTER (WHERE %s >= %s)", SQL.identifier("s", column), SQL.identifier("s", score), k)
                    for k in range(2, top + 1)
                ),
            )

        [(customers, moved, recency, frequency, monetary, revenue)] = self.env.execute_query(
            SQL(
                """WITH agg AS (
                       %(agg)s
                   ), pipeline AS (
                       %(pipeline)s
                   ), base AS (
                       %(base)s
                   )
                   SELECT COUNT(*),
                          COUNT(*) FILTER (WHERE (s.r, s.f, s.m, s.pct)
                                                 IS DISTINCT FROM (s.old_r, s.old_f, s.old_m, s.old_pct)),
                          %(recency)s, %(frequency)s, %(monetary)s, %(revenue)s
                     FROM (SELECT b.last_order_date, b.rfm_frequency, b.rfm_monetary, b.total_revenue,
                                  b.old_r, b.old_f, b.old_m, b.old_pct,
                                  CEIL(5 * CUME_DIST() OVER (ORDER BY b.last_order_date))::int AS r,
                                  CEIL(5 * CUME_DIST() OVER (ORDER BY b.rfm_frequency))::int AS f,
                                  CEIL(5 * CUME_DIST() OVER (ORDER BY b.rfm_monetary))::int AS m,
                                  CEIL(100 * CUME_DIST() OVER (ORDER BY b.total_revenue))::int AS pct
                             FROM base b
                            WHERE b.order_count > 0) s""",
                agg=self._get_metrics_purchases_sql(new_params),
                pipeline=self._metrics_cte_pipeline(new_params),
                base=self._metrics_cte_base(new_params),
                recency=cut_points("last_order_date", "r", 5),
                frequency=cut_points("rfm_frequency", "f", 5),
                monetary=cut_points("rfm_monetary", "m", 5),
                revenue=cut_points("total_revenue", "pct", 100),
            )
        )
        if not customers:
            return params
        if params["rfm_cuts"] and moved <= RFM_PRECISION * customers:
            company.rfm_cut_points_check_date = params["today"]
            return params
        cuts = {
            "window_start": window_start.isoformat(),
            "customers": customers,
            "recency": [day.isoformat() for day in recency],
            "frequency": frequency,
            # amounts rounded to the currency (base rounds them): exact in JSON
            "monetary": [float(amount) for amount in monetary],
            "revenue": [float(amount) for amount in revenue],
        }
        today = params["today"]
        company.write({"rfm_cut_points": cuts, "rfm_cut_points_date": today, "rfm_cut_points_check_date": today})
        return dict(new_params, rfm_cuts=cuts)

    @api.model
    def _metrics_cte_staged(self, params):
        """CTE staged: base with its RFM scores and the code of the stage the rules give (new_code):
        prospect (no purchase, open pipeline), won_back (a churned customer buying again, for new_days),
        new, loyal, active, at_risk, churned (by days since the first and last purchase)."""
        return SQL(
            """SELECT b.*, rfm.r, rfm.f, rfm.m, rfm.pct,
                       CASE
                           WHEN b.order_count = 0 THEN CASE WHEN b.has_pipeline THEN 'prospect' END
                           WHEN b.old_code = 'churned'
                                AND b.last_order_date >= COALESCE(b.old_stage_date, b.last_order_date)
                                AND %(today)s - b.last_order_date < %(new_days)s THEN 'won_back'
                           WHEN b.old_code = 'won_back'
                                AND b.last_order_date >= COALESCE(b.old_stage_date, b.last_order_date)
                                AND %(today)s - COALESCE(b.old_stage_date, b.last_order_date) < %(new_days)s
                                THEN 'won_back'
                           WHEN %(today)s - b.first_order_date < %(new_days)s THEN 'new'
                           WHEN %(today)s - b.last_order_date < %(active_days)s
                                AND b.orders_last_year >= %(loyal_min)s THEN 'loyal'
                           WHEN %(today)s - b.last_order_date < %(active_days)s THEN 'active'
                           WHEN %(today)s - b.last_order_date <= %(churn_days)s THEN 'at_risk'
                           ELSE 'churned'
                       END AS new_code
                  FROM base b
                  LEFT JOIN rfm ON rfm.partner_id = b.partner_id""",
            today=params["today"],
            new_days=params["new_days"],
            active_days=params["active_days"],
            loyal_min=params["loyal_min"],
            churn_days=params["churn_days"],
        )

    @api.model
    def _metrics_select(self, params):
        """Final SELECT over staged: the metric and RFM columns (average order value, customer lifetime
        value over the horizon with margin, retention and discount rates, RFM segment), the stage (kept when
        locked) and its date (a won-back customer's from the purchase that won her back), the stored values."""
        return SQL(
            """SELECT s.partner_id,
                   s.first_order_date,
                   s.last_order_date,
                   s.order_count,
                   s.orders_last_year,
                   s.revenue_last_year,
                   s.total_revenue,
                   CASE WHEN s.order_count > 0 THEN ROUND(s.total_revenue / s.order_count, %(digits)s) ELSE 0 END
                       AS average_order_value,
                   ROUND((s.revenue_last_year * %(margin)s * CASE
                       WHEN ret.rate / (1 + %(discount)s) = 1 THEN %(horizon)s
                       ELSE (1 - POWER(ret.rate / (1 + %(discount)s), %(horizon)s))
                            / (1 - ret.rate / (1 + %(discount)s))
                   END)::numeric, %(digits)s) AS customer_lifetime_value,
                   s.r AS rfm_recency_score,
                   s.f AS rfm_frequency_score,
                   s.m AS rfm_monetary_score,
                   CASE WHEN s.r IS NOT NULL AND s.f IS NOT NULL
                        THEN (%(rfm_matrix)s::varchar[])[(s.r - 1) * 5 + s.f]
                   END AS rfm_segment,
                   s.pct AS revenue_percentile,
                   CASE WHEN s.locked THEN s.old_stage_id ELSE st.id END AS stage_id,
                   CASE
                       WHEN s.locked OR st.id IS NOT DISTINCT FROM s.old_stage_id THEN s.old_stage_date
                       WHEN s.new_code = 'won_back' THEN s.last_order_date
                       WHEN st.id IS NULL THEN NULL
                       ELSE %(today)s
                   END AS stage_date,
                   s.old_stage_id,
                   s.old_stage_date,
                   %(old_selected)s,
                   s.locked,
                   ret.rate AS retention_rate
              FROM staged s
             CROSS JOIN retention ret
              LEFT JOIN crm_lifecycle_stage st ON st.code = s.new_code""",
            digits=params["digits"],
            margin=params["margin"],
            discount=params["discount"],
            horizon=params["horizon"],
            rfm_matrix=[segment for r in range(1, 6) for segment in RFM_SEGMENT_MATRIX[r]],
            today=params["today"],
            old_selected=SQL(", ").join(SQL.identifier("s", f"old_{col}") for col in (*METRIC_COLUMNS, *RFM_COLUMNS)),
        )

    # ------------------------------------------------------------------
    # The nightly run
    # ------------------------------------------------------------------

    @api.model
    def _cron_refresh(self, chunk_size=CHUNK_SIZE):
        """Refresh every customer's lifecycle values; resumable and safe with concurrent workers."""
        self._batch_run(chunk_size)

    def _prepare_run_lines(self, chunk_size):
        """Every company's customers whose values change, as run lines; stores the retention estimate and
        the RFM cut points when they are due (`_estimate_rfm_cut_points`)."""
        # All of them on purpose: a few companies.
        companies = self.env["res.company"].sudo().search([])  # pylint: disable=no-search-all
        for company in companies:
            params = self._get_lifecycle_params(company)
            if params["rfm_due"]:
                params = self._estimate_rfm_cut_points(company, params)
            query = self._get_metrics_query(params)
            columns = (*METRIC_COLUMNS, *RFM_COLUMNS, "stage_id", "stage_date")
            rows = self.env.execute_query(
                SQL(
                    """
                    WITH q AS (%(query)s), changed AS (
                        INSERT INTO crm_lifecycle_run_line
                               (run_id, chunk, partner_id, locked, old_stage_id, version, %(cols)s)
                        SELECT %(run_id)s,
                               (ROW_NUMBER() OVER (ORDER BY q.partner_id) - 1) / %(chunk_size)s
                                   + COALESCE((SELECT MAX(chunk) + 1 FROM crm_lifecycle_run_line
                                                WHERE run_id = %(run_id)s), 0),
                               q.partner_id, q.locked, q.old_stage_id, %(version)s, %(q_cols)s
                          FROM q
                          JOIN res_partner p ON p.id = q.partner_id
                         WHERE %(differs)s
                        RETURNING 1
                    )
                    SELECT (SELECT COUNT(*) FROM changed), (SELECT MAX(retention_rate) FROM q)
                    """,
                    query=query,
                    cols=SQL(", ").join(map(SQL.identifier, columns)),
                    q_cols=SQL(", ").join(SQL.identifier("q", col) for col in columns),
                    run_id=self.id,
                    chunk_size=chunk_size,
                    version=_version(VERSION_COLUMNS, "p"),
                    differs=SQL(" OR ").join(
                        SQL("%s IS DISTINCT FROM %s", SQL.identifier("q", f"old_{col}"), SQL.identifier("q", col))
                        for col in columns
                    ),
                )
            )
            retention = rows[0][1]
            if retention is not None and not company.clv_retention_rate and retention != params["stored_retention"]:
                # A new estimate (the first one, or one due that moved beyond RETENTION_PRECISION): stored
                # with its date.
                company.write({"clv_retention_estimate": retention, "clv_retention_estimate_date": params["today"]})

    def _finish_hook(self):
        Partner = self.env["res.partner"]
        Partner._crm_care_refresh_satisfaction(sync_contacts=False)
        Partner._crm_care_nightly_sync_contacts()

    def _apply_chunk(self, chunk, initial=False):
        """Write one chunk's changed values, then its stage changes (`res.partner._lifecycle_apply_stage_changes`:
        set-based with their chatter tracking and history, through write() when an Automation Rule listens).

        A customer whose values changed since the run was prepared (she ordered, a manager locked her
        stage) is not given the line's older values: she is recomputed now from the current orders
        (`_lifecycle_refresh`, reason *time*, RFM scored against the stored cut points).
        """
        partner_columns = (*METRIC_COLUMNS, *RFM_COLUMNS)
        self.env["res.partner"].flush_model()
        stale = self._get_stale_partner_ids(chunk, VERSION_COLUMNS)
        first = 0
        if initial:
            # First classification after installation: customers without a stage (and not locked) get theirs
            # set-based, in the same UPDATE as their values (one new row version per customer, not two),
            # with a history line but without a chatter message or automation per customer.
            first = self._insert_first_stage_history(chunk, stale)
            no_stage = SQL("cp.lifecycle_stage_id IS NULL AND NOT COALESCE(cp.lifecycle_locked, FALSE)")
            assign = SQL(
                """%(assign)s,
                   lifecycle_stage_id = CASE WHEN %(no_stage)s THEN l.stage_id ELSE p.lifecycle_stage_id END,
                   lifecycle_stage_date = CASE WHEN %(no_stage)s THEN l.stage_date ELSE p.lifecycle_stage_date END""",
                assign=_assignments(partner_columns, "l"),
                no_stage=no_stage,
            )
            differs = SQL("%s OR (%s AND l.stage_id IS NOT NULL)", _differs(partner_columns, "p", "l"), no_stage)
        else:
            assign = _assignments(partner_columns, "l")
            differs = _differs(partner_columns, "p", "l")
        self.env.cr.execute(
            SQL(
                """UPDATE res_partner p
                      SET %(assign)s
                     FROM crm_lifecycle_run_line l %(entity)s
                    WHERE l.run_id = %(run_id)s AND l.chunk = %(chunk)s
                      AND p.commercial_partner_id = l.partner_id
                      AND l.partner_id != ALL(%(stale)s::int[])
                      AND (%(differs)s)""",
                assign=assign,
                entity=SQL("JOIN res_partner cp ON cp.id = l.partner_id") if initial else SQL(),
                run_id=self.id,
                chunk=chunk,
                stale=stale,
                differs=differs,
            )
        )
        changed = self.env.cr.rowcount
        self.env["res.partner"].invalidate_model(
            [*partner_columns, "lifecycle_stage_id", "lifecycle_stage_date"] if initial else list(partner_columns)
        )
        self.env.cr.execute(
            SQL(
                """SELECT l.partner_id, l.stage_id, l.stage_date, p.lifecycle_stage_id
                     FROM crm_lifecycle_run_line l
                     JOIN res_partner p ON p.id = l.partner_id
                    WHERE l.run_id = %s AND l.chunk = %s AND l.partner_id != ALL(%s::int[])
                      AND NOT COALESCE(p.lifecycle_locked, FALSE)
                      AND (p.lifecycle_stage_id IS DISTINCT FROM l.stage_id
                           OR p.lifecycle_stage_date IS DISTINCT FROM l.stage_date)""",
                self.id,
                chunk,
                stale,
            )
        )
        moves = self.env.cr.fetchall()
        errors = self.env["res.partner"]._lifecycle_apply_stage_changes(moves, reason="time")
        if stale:
            self.env["res.partner"].browse(stale)._lifecycle_refresh(reason="time")
        return changed + len(stale), len(moves) - errors + first, errors

    def _insert_first_stage_history(self, chunk, stale):
        """History lines of the first stages the chunk gives (customers of the chunk without a stage, not
        locked, but for the `stale` ids), before they are set; return how many."""
        self.env["crm.lifecycle.history"].flush_model()
        self.env.cr.execute(
            SQL(
                """INSERT INTO crm_lifecycle_history
                          (partner_id, to_stage_id, date, reason, user_id, create_uid, create_date, write_uid,
                           write_date)
                   SELECT l.partner_id, l.stage_id, l.stage_date, 'time', %(uid)s, %(uid)s, %(now)s, %(uid)s, %(now)s
                     FROM crm_lifecycle_run_line l
                     JOIN res_partner p ON p.id = l.partner_id
                    WHERE l.run_id = %(run_id)s AND l.chunk = %(chunk)s AND l.partner_id != ALL(%(stale)s::int[])
                      AND l.stage_id IS NOT NULL AND p.lifecycle_stage_id IS NULL
                      AND NOT COALESCE(p.lifecycle_locked, FALSE)""",
                uid=self.env.uid,
                now=fields.Datetime.now(),
                run_id=self.id,
                chunk=chunk,
                stale=stale,
            )
        )
        count = self.env.cr.rowcount
        self.env["crm.lifecycle.history"].invalidate_model()
        return count

    @api.model
    def _demo_create_history(self):
        """Demo data: customers with three years of orders, so every stage and RFM segment has members.

        The orders are entered as history (no refresh per order, whose stage would flip back and forth
        between today's order and its real date), then every customer is classified once, as the nightly
        run does on a database with a past. A few customers ordered yesterday or a week ago, so the care
        campaigns have their after-order touches to do on the demo's first day. Chinese customers (in
        Shanghai, Beijing, Hangzhou) speak Chinese when the database has it loaded.
        """
        rng = random.Random(19)
        # No external id: the demo orders keep their product when the addon is uninstalled.
        product = self.env["product.product"].create(
            {"name": "Care Gift Box", "list_price": 880.0, "type": "consu", "taxes_id": [Command.clear()]}
        )
        today = self.env.company._get_lifecycle_today()[0]
        china = self.env.ref("base.cn", raise_if_not_found=False)
        chinese = bool(self.env["res.lang"]._get_data(code="zh_CN"))
        # (name, Chinese customer's city) per customer
        names = [
            ("Bright Lantern Tea House", None),
            ("Jade River Trading", None),
            ("Golden Peony Florist", None),
            ("Harbour Light Bakery", None),
            ("Silver Birch Studio", None),
            ("Red Kite Outfitters", None),
            ("Lotus Garden Spa", None),
            ("Northwind Bicycles", None),
            ("Maple & Pine Interiors", None),
            ("Blue Heron Books", None),
            ("上海明珠茶庄", "上海"),
            ("北京长城文具有限公司", "北京"),
            ("杭州西湖丝绸", "杭州"),
            ("Orchid Valley Hotel", None),
            ("Panda Express Logistics", None),
            ("Azure Sky Travel", None),
            ("Copper Kettle Kitchen", None),
            ("Evergreen Dental", None),
            ("Phoenix Print Works", None),
            ("Cloud Nine Kids", None),
            ("李伟", "上海"),
            ("张敏", "北京"),
            ("王芳", "上海"),
            ("陈静", "杭州"),
            ("刘洋", "北京"),
            ("Emma Laurent", None),
            ("Noah Fischer", None),
            ("Sofia Rossi", None),
            ("Lucas Martin", None),
            ("Mia Novak", None),
        ]
        # (days since first order, number of orders, typical amount) per profile; some buy enough in a year for
        # the demo's Silver (5,000), Gold (20,000) and Platinum (80,000) tiers
        profiles = [
            (40, 1, 800),
            (60, 2, 300),
            (300, 6, 4500),
            (500, 14, 12000),
            (250, 3, 3000),
            (700, 3, 600),
            (900, 4, 900),
            (1000, 2, 150),
            (30, 1, 5000),
            (400, 1, 200),
        ]
        recent = {2: 1, 3: 7, 12: 1, 22: 7, 23: 1}  # customer index: days since a last order (yesterday, a week)
        Order = self.env["sale.order"].with_context(crm_lifecycle_no_refresh=True)
        customers = self.env["res.partner"]
        won_back = self.env["res.partner"]
        for index, (name, city) in enumerate(names):
            first_age, count, amount = profiles[index % len(profiles)]
            vals = {
                "name": name,
                "is_company": index < 20,
                "email": f"{name.lower().replace(' ', '.').replace('&', 'and')}@example.com"
                if name.isascii()
                else f"customer{index + 1}@example.cn",
                "lang": "zh_CN" if (city or index % 3 == 0) and chinese else False,
            }
            if city and china:
                area = {"上海": "21", "北京": "10", "杭州": "571"}[city]
                vals |= {"city": city, "country_id": china.id, "phone": f"+86 {area} 5555 {1000 + index}"}
            partner = self.env["res.partner"].create(vals)
            customers |= partner
            ages = sorted({rng.randint(0, first_age) for __ in range(count - 1)} | {first_age}, reverse=True)
            if index % 10 == 6:  # churned long ago, then came back last month: Won Back
                ages = [900, 850, 25]
                won_back |= partner
            elif index % 10 == 7:  # drifting away: At Risk
                ages = [420, 300, 210]
            elif index % 10 == 8:  # gone: Churned
                ages = [800, 500]
            elif index in recent:
                ages = [age for age in ages if age > recent[index]] + [recent[index]]
            for age in ages:
                order = Order.create(
                    {
                        "partner_id": partner.id,
                        "order_line": [
                            Command.create(
                                {
                                    "product_id": product.id,
                                    "product_uom_qty": 1,
                                    "price_unit": round(amount * rng.uniform(0.6, 1.6), -1),
                                }
                            )
                        ],
                    }
                )
                order.action_confirm()
                order.date_order = fields.Datetime.to_datetime(today - timedelta(days=age)) + timedelta(hours=10)
        # The long gap of the Won Back customers: stage Churned before their comeback order, as the nightly run
        # would have set it.
        won_back.write(
            {
                "lifecycle_stage_id": self.env.ref("crm_lifecycle.stage_churned").id,
                "lifecycle_stage_date": today - timedelta(days=400),
            }
        )
        customers._lifecycle_refresh(reason="order")
        prospect = self.env["res.partner"].create({"name": "Great Wall Consulting", "is_company": True})
        self.env["crm.lead"].create({"name": "Care programme", "partner_id": prospect.id, "type": "opportunity"})
        prospect._lifecycle_refresh(reason="manual")

    @api.model
    def _demo_plan_recent_orders(self):
        """Demo data (called from crm_care_demo.xml once the ready-made campaigns are switched on): plan the
        after-order touches of the last week's confirmed demo orders, as if the campaigns had been on when the
        orders were confirmed (the demo history confirms them before). The follow-up visits of yesterday's orders
        are then planned in the coming days and show as the customers' next care touch. Only the orders of the
        demo history (its Care Gift Box): Odoo's own demo orders, a dozen for one customer on the same day, would
        plan a dozen thank-you emails to one customer. Returns how many touches were planned."""
        today = self.env.company._get_lifecycle_today()[0]
        orders = self.env["sale.order"].search(
            [
                ("state", "=", "sale"),
                ("date_order", ">=", fields.Datetime.to_datetime(today - timedelta(days=7))),
                ("order_line.product_id.name", "=", "Care Gift Box"),
            ]
        )
        return self.env["crm.care.campaign"]._plan_orders(orders)

    @api.model
    def _log_stage_error(self, partner_id, stage_id):
        _logger.exception("Lifecycle: could not move partner %s to stage %s", partner_id, stage_id)


class CrmLifecycleRunLine(models.Model):
    """Values a run will write for one changed commercial entity (technical, short-lived)."""

    _name = "crm.lifecycle.run.line"
    _description = "Customer Lifecycle Refresh Line"
    _log_access = False

    run_id = fields.Many2one("crm.lifecycle.run", required=True, ondelete="cascade")
    chunk = fields.Integer(required=True)
    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade")
    locked = fields.Boolean()
    version = fields.Char(help="Version (md5) of the customer's values the line was computed from.")
    old_stage_id = fields.Many2one("crm.lifecycle.stage", ondelete="set null")
    stage_id = fields.Many2one("crm.lifecycle.stage", ondelete="set null")
    stage_date = fields.Date()
    first_order_date = fields.Date()
    last_order_date = fields.Date()
    order_count = fields.Integer()
    orders_last_year = fields.Integer()
    revenue_last_year = fields.Float(digits=(16, 6))
    total_revenue = fields.Float(digits=(16, 6))
    average_order_value = fields.Float(digits=(16, 6))
    customer_lifetime_value = fields.Float(digits=(16, 6))
    rfm_recency_score = fields.Integer()
    rfm_frequency_score = fields.Integer()
    rfm_monetary_score = fields.Integer()
    rfm_segment = fields.Char()
    revenue_percentile = fields.Integer()

    _run_chunk_idx = models.Index("(run_id, chunk)")


class CrmLifecycleRunChunk(models.Model):
    """A chunk of a run still to apply; workers claim chunks with FOR UPDATE SKIP LOCKED."""

    _name = "crm.lifecycle.run.chunk"
    _inherit = ["crm.batch.run.chunk.mixin"]
    _description = "Customer Lifecycle Refresh Chunk"

    run_id = fields.Many2one("crm.lifecycle.run", required=True, ondelete="cascade", index=True)
    stage_change_count = fields.Integer()

    _run_chunk_unique = models.Constraint("UNIQUE(run_id, chunk)", "A chunk exists once per run.")
