import logging

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class CrmCareCohortReport(models.Model):
    """Repurchase and cohort retention: customers by month of their first purchase (the cohort) x months since,
    the share of the cohort who bought in that month.

    A small table (one row per company, cohort month and month from the cohort's month to the current one, a
    month without any purchase of the cohort included at 0 %: at most a few thousand rows whatever the number
    of orders), filled from the purchase ledger (crm.purchase) by its own nightly scheduled action
    (`_cron_refresh_cohorts`, after the lifecycle refresh: it reads the whole ledger once more, so it runs on
    its own cron thread rather than lengthening the lifecycle run), so that the report opens at once on
    millions of orders. Figures are those of the last nightly run.

    Rules: a purchase is a purchase of the ledger whose net amount is above zero (a fully refunded or
    zero-amount order is not one; `crm.purchase._get_purchase_totals_sql`), dated on its day in the Business
    Time Zone of its company. Customers are commercial entities; a customer is in the cohort of the month of
    its first purchase in that company. Month 0 is the month of the first purchase (100 %); month k (k >= 1):
    the share of the cohort who bought (again) in the k-th month after it.
    """

    _name = "crm.care.cohort.report"
    _description = "Cohort Retention"
    _order = "cohort_month desc, months_since"
    _rec_name = "cohort_month"

    company_id = fields.Many2one("res.company", readonly=True, index=True)
    cohort_month = fields.Date(
        string="First Purchase Month",
        readonly=True,
        help="First day of the month of the customers' first purchase (the cohort), in the company's Business "
        "Time Zone.",
    )
    months_since = fields.Integer(
        string="Months Since First Purchase",
        readonly=True,
        aggregator=False,
        help="0: the month of the first purchase; k: the k-th calendar month after it.",
    )
    month = fields.Date(string="Purchase Month", readonly=True, help="First day of the month of the purchases.")
    customer_count = fields.Integer(
        string="Customers Buying",
        readonly=True,
        aggregator="sum",
        help="Customers of the cohort with a purchase in that month.",
    )
    cohort_size = fields.Integer(
        string="Cohort Customers",
        readonly=True,
        aggregator="max",
        help="Customers whose first purchase was in the cohort month.",
    )
    retention = fields.Float(
        string="Retention (%)",
        readonly=True,
        aggregator="avg",
        digits=(5, 1),
        help="Customers Buying x 100 / Cohort Customers, for one cohort and one month since (grouped by both). "
        "Grouped over several cohorts it is the average of their retentions (each cohort counts once).",
    )
    is_repurchase = fields.Boolean(
        string="Bought Again",
        readonly=True,
        help="A month after the first purchase's (months since >= 1): the customers bought again.",
    )

    @api.model
    def _cron_refresh_cohorts(self):
        """Scheduled action *Refresh cohort retention* (nightly): `_refresh_cohorts` up to the companies'
        latest business day. Idempotent: the table is replaced in one transaction."""
        return self._refresh_cohorts()

    @api.model
    def _refresh_cohorts(self, until=None):
        """Recompute the whole table from the purchase ledger (set-based, one statement after a delete).

        until: a date; invoices and credit notes dated after it are left out (see
        crm.purchase._get_purchase_totals_sql); default: the latest business day of the companies.
        Returns the number of rows written.
        """
        if until is None:
            # All of them on purpose: a few companies.
            companies = self.env["res.company"].sudo().search([])  # pylint: disable=no-search-all
            until = max(company._get_lifecycle_today()[0] for company in companies)
        self.env.flush_all()  # the statement reads orders, invoices and credit notes as they are now
        self.env["crm.lifecycle.run"]._set_batch_session()  # it aggregates the whole ledger
        totals = self.env["crm.purchase"]._get_purchase_totals_sql(until=until)
        self.env.cr.execute(SQL("DELETE FROM %s", SQL.identifier(self._table)))
        rows = self.env.execute_query(
            SQL(
                """
                WITH t AS (%(totals)s),
                pm AS (
                    SELECT DISTINCT t.company_id, t.partner_id,
                           DATE_TRUNC('month', t.date_order AT TIME ZONE 'UTC'
                                      AT TIME ZONE COALESCE(NULLIF(c.crm_care_tz, ''), 'UTC'))::date AS month
                      FROM t
                      JOIN res_company c ON c.id = t.company_id
                     WHERE t.counted
                ), firsts AS (
                    SELECT company_id, partner_id, MIN(month) AS cohort_month
                      FROM pm
                     GROUP BY company_id, partner_id
                ), sizes AS (
                    SELECT company_id, cohort_month, COUNT(*) AS cohort_size
                      FROM firsts
                     GROUP BY company_id, cohort_month
                ), cells AS (
                    SELECT f.company_id, f.cohort_month, pm.month, COUNT(*) AS customer_count
                      FROM pm
                      JOIN firsts f ON f.company_id = pm.company_id AND f.partner_id = pm.partner_id
                     GROUP BY f.company_id, f.cohort_month, pm.month
                ), grid AS (
                    -- every month of every cohort up to the month of `until`, those without a purchase too
                    -- (0 %%): an average over cohorts counts the cohorts nobody of which bought that month
                    SELECT sizes.company_id, sizes.cohort_month, sizes.cohort_size, g.month::date AS month
                      FROM sizes
                     CROSS JOIN LATERAL GENERATE_SERIES(sizes.cohort_month, DATE_TRUNC('month', %(until)s::date),
                                                        INTERVAL '1 month') AS g(month)
                )
                INSERT INTO %(table)s (company_id, cohort_month, month, months_since, customer_count, cohort_size,
                                       retention, is_repurchase, create_uid, create_date, write_uid, write_date)
                SELECT grid.company_id, grid.cohort_month, grid.month,
                       (EXTRACT(YEAR FROM grid.month) * 12 + EXTRACT(MONTH FROM grid.month)
                        - EXTRACT(YEAR FROM grid.cohort_month) * 12 - EXTRACT(MONTH FROM grid.cohort_month))::int,
                       COALESCE(cells.customer_count, 0), grid.cohort_size,
                       ROUND(COALESCE(cells.customer_count, 0) * 100.0 / grid.cohort_size, 1),
                       grid.month > grid.cohort_month,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM grid
                  LEFT JOIN cells ON cells.company_id = grid.company_id AND cells.cohort_month = grid.cohort_month
                                 AND cells.month = grid.month
             RETURNING 1
                """,
                totals=totals,
                table=SQL.identifier(self._table),
                until=until,
                uid=self.env.uid,
                now=self.env.cr.now(),
            )
        )
        self.invalidate_model()
        _logger.info("Cohort retention: %s rows", len(rows))
        return len(rows)
