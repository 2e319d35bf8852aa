from odoo import api, fields, models
from odoo.tools import SQL

# Columns every purchase source returns, in this order (see CrmPurchase._get_purchase_source_sqls).
SOURCE_COLUMNS = (
    "id",  # unique row id (bigint): key * 8 + slot, slot 0 sale order, 1 credit note, 2 invoice; bridges use 3-7
    "partner_id",  # commercial partner (int)
    "company_id",  # company of the document (int)
    "currency_id",  # currency of the document (int)
    "date_order",  # UTC instant (timestamp) of a document dated to the second (sale order, POS order), else NULL
    "invoice_date",  # business date of a document dated to the day (invoice, credit note), else NULL
    "amount_untaxed",  # untaxed amount in the document's currency, negative for refunds (numeric)
    "source",  # key of the source (varchar): sale_order, credit_note, invoice, ...
    "res_model",  # model of the document (varchar)
    "res_id",  # id of the document (int)
    "name",  # reference of the document (varchar)
    "sale_order_id",  # the sale order of the row (the order itself, the order a credit note refunds) or NULL
    "move_id",  # the invoice or credit note of the row, or NULL
    "purchase_model",  # model of the purchase the row belongs to (varchar)
    "purchase_id",  # id of the purchase the row belongs to (int)
)


class CrmPurchase(models.Model):
    """The purchase ledger: every purchase of a customer and every refund of one, one row per document
    (SQL view, read-only), which every CRM Care figure reads (lifecycle metrics, RFM, lifetime value, tier
    spend, care conversions).

    Built as Odoo builds `sale.report`: one method per source returns the source's rows as SQL
    (`_get_purchase_source_sql_<source>`), `_get_purchase_source_sqls` lists them and `_get_purchase_sql`
    unions them and converts the amounts. A bridge addon adds a source by overriding
    `_get_purchase_source_sqls` (append its SQL, columns SOURCE_COLUMNS in that order) and `source`
    (selection_add).

    Sources of crm_lifecycle:
    - confirmed sale orders (state `sale`), on their order date;
    - posted customer credit notes, on their invoice date, negative, belonging to the confirmed sale order
      of the same customer they refund (through the invoice lines' sale order lines), else to the refunded
      customer invoice when that is a direct invoice of the same customer, else to themselves;
    - posted customer invoices linked to no sale order, on their invoice date (an invoice of a sale order
      is already counted as the order: it counts once).

    A purchase (all rows of one `purchase_model`/`purchase_id`) counts as a purchase (order count,
    frequency, first and last order dates, stage) when its net untaxed amount in document currency is
    above zero: a sale order refunded in full, and a zero-amount order (a free replacement), are not
    purchases; a partial refund lowers its amount.
    """

    _name = "crm.purchase"
    _description = "Customer Purchase"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "name"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True, help="The commercial entity.")
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", string="Company Currency", readonly=True)
    document_currency_id = fields.Many2one("res.currency", readonly=True)
    date = fields.Date(readonly=True, help="Business date of the document in the company's timezone.")
    date_order = fields.Datetime(string="Purchase Time", readonly=True, help="Instant of the document (UTC).")
    source = fields.Selection(
        [("sale_order", "Sale Order"), ("credit_note", "Credit Note"), ("invoice", "Invoice")],
        readonly=True,
    )
    name = fields.Char(string="Document", readonly=True)
    res_model = fields.Char(string="Document Model", readonly=True)
    res_id = fields.Many2oneReference(string="Document ID", model_field="res_model", readonly=True)
    sale_order_id = fields.Many2one("sale.order", readonly=True)
    move_id = fields.Many2one("account.move", string="Invoice or Credit Note", readonly=True)
    purchase_model = fields.Char(readonly=True, help="Model of the purchase this row belongs to.")
    purchase_id = fields.Many2oneReference(model_field="purchase_model", readonly=True)
    amount_currency = fields.Monetary(
        string="Amount in Document Currency",
        currency_field="document_currency_id",
        readonly=True,
        help="Untaxed amount in the document's currency, negative for refunds.",
    )
    amount = fields.Monetary(
        string="Untaxed Amount",
        currency_field="currency_id",
        readonly=True,
        help="Untaxed amount in company currency, negative for refunds, converted with the rate of the "
        "document's date. Empty when the document's currency has no rate at or before that date.",
    )
    is_currency_rate_missing = fields.Boolean(
        string="Without Exchange Rate",
        readonly=True,
        help="In a currency other than the company's, with no exchange rate at or before the document's date: "
        "it counts as a purchase but adds no amount until a rate for that date is added.",
    )

    # ------------------------------------------------------------------
    # Sources
    # ------------------------------------------------------------------

    @api.model
    def _get_purchase_source_sqls(self, partner_ids=None):
        """The SQL of every source (list of SQL, columns SOURCE_COLUMNS in that order).

        partner_ids: restrict to these commercial entities (ids), or None for all. Bridges append theirs.
        """
        return [
            self._get_purchase_source_sql_sale_order(partner_ids),
            self._get_purchase_source_sql_credit_note(partner_ids),
            self._get_purchase_source_sql_invoice(partner_ids),
        ]

    @api.model
    def _get_partner_filter_sql(self, column, partner_ids):
        """SQL condition `AND <column> IN partner_ids`, or nothing when partner_ids is None."""
        if partner_ids is None:
            return SQL()
        return SQL("AND %s IN %s", column, tuple(partner_ids) or (0,))

    @api.model
    def _get_sale_linked_sql(self, move):
        """SQL condition: the move `move` (SQL alias) has a line linked to a sale order line."""
        return SQL(
            """EXISTS (SELECT 1 FROM account_move_line ml
                         JOIN sale_order_line_invoice_rel rel ON rel.invoice_line_id = ml.id
                        WHERE ml.move_id = %s)""",
            SQL.identifier(move, "id"),
        )

    @api.model
    def _get_move_of_other_source_sql(self, move):
        """SQL condition: the move `move` (SQL alias) is the invoice or credit note of a document another
        source counts (a bridge's: a POS order's invoice), so the invoice sources skip it. None here."""
        return SQL("FALSE")

    @api.model
    def _get_purchase_source_sql_sale_order(self, partner_ids=None):
        """Confirmed sale orders, on their order date."""
        return SQL(
            """SELECT so.id::bigint * 8, p.commercial_partner_id, so.company_id, so.currency_id,
                      so.date_order, NULL::date, so.amount_untaxed::numeric,
                      'sale_order'::varchar, 'sale.order'::varchar, so.id, so.name::varchar,
                      so.id, NULL::int, 'sale.order'::varchar, so.id
                 FROM sale_order so
                 JOIN res_partner p ON p.id = so.partner_id
                WHERE so.state = 'sale' %s""",
            self._get_partner_filter_sql(SQL("p.commercial_partner_id"), partner_ids),
        )

    @api.model
    def _get_purchase_source_sql_credit_note(self, partner_ids=None):
        """Posted customer credit notes, negative, on their invoice date: one row per sale order they refund.

        The lines of a credit note linked (sale_line_ids, copied by Odoo's reversal) to a confirmed order of
        the same customer belong to that order; its other lines belong to the refunded invoice when that is a
        posted direct invoice (no sale order) of the same customer, else to the credit note itself. A credit
        note of another customer's order never lowers that order: it lowers its own customer's revenue.
        """
        return SQL(
            """SELECT MIN(aml.id)::bigint * 8 + 1, am.commercial_partner_id, am.company_id, am.currency_id,
                      NULL::timestamp, am.invoice_date, -SUM(aml.price_subtotal)::numeric,
                      'credit_note'::varchar, 'account.move'::varchar, am.id,
                      am.name::varchar, ref.order_id, am.id,
                      CASE WHEN ref.order_id IS NOT NULL THEN 'sale.order' ELSE 'account.move' END::varchar,
                      COALESCE(ref.order_id, rev.id, am.id)
                 FROM account_move am
                 JOIN account_move_line aml ON aml.move_id = am.id AND aml.display_type = 'product'
                 LEFT JOIN (
                      -- set-based (one hash join for all lines), not a lookup per line: the order of each
                      -- invoice line per commercial entity of that order
                      SELECT rel.invoice_line_id, sp.commercial_partner_id, MIN(so.id) AS order_id
                        FROM sale_order_line_invoice_rel rel
                        JOIN sale_order_line sol ON sol.id = rel.order_line_id
                        JOIN sale_order so ON so.id = sol.order_id AND so.state = 'sale'
                        JOIN res_partner sp ON sp.id = so.partner_id
                       WHERE TRUE %(ref_only)s
                       GROUP BY rel.invoice_line_id, sp.commercial_partner_id
                 ) ref ON ref.invoice_line_id = aml.id AND ref.commercial_partner_id = am.commercial_partner_id
                 LEFT JOIN account_move rev ON rev.id = am.reversed_entry_id AND rev.move_type = 'out_invoice'
                       AND rev.state = 'posted' AND rev.commercial_partner_id = am.commercial_partner_id
                       AND NOT %(rev_linked)s AND NOT %(rev_other)s
                WHERE am.move_type = 'out_refund' AND am.state = 'posted' AND NOT %(other)s %(only)s
                GROUP BY am.id, ref.order_id, rev.id""",
            rev_linked=self._get_sale_linked_sql("rev"),
            rev_other=self._get_move_of_other_source_sql("rev"),
            other=self._get_move_of_other_source_sql("am"),
            only=self._get_partner_filter_sql(SQL("am.commercial_partner_id"), partner_ids),
            ref_only=self._get_partner_filter_sql(SQL("sp.commercial_partner_id"), partner_ids),
        )

    @api.model
    def _get_purchase_source_sql_invoice(self, partner_ids=None):
        """Posted customer invoices linked to no sale order (services billed directly), on their invoice date."""
        return SQL(
            """SELECT am.id::bigint * 8 + 2, am.commercial_partner_id, am.company_id, am.currency_id,
                      NULL::timestamp, am.invoice_date, am.amount_untaxed::numeric,
                      'invoice'::varchar, 'account.move'::varchar, am.id,
                      am.name::varchar, NULL::int, am.id, 'account.move'::varchar, am.id
                 FROM account_move am
                WHERE am.move_type = 'out_invoice' AND am.state = 'posted' AND NOT %s AND NOT %s %s""",
            self._get_sale_linked_sql("am"),
            self._get_move_of_other_source_sql("am"),
            self._get_partner_filter_sql(SQL("am.commercial_partner_id"), partner_ids),
        )

    # ------------------------------------------------------------------
    # The ledger
    # ------------------------------------------------------------------

    @api.model
    def _get_company_tz_sql(self, company):
        """SQL: the Business Time Zone of the company `company` (SQL alias of res_company; its `crm_care_tz`,
        see crm_lifecycle/tools/business_time.py), UTC when it has none."""
        return SQL("COALESCE(NULLIF(%s, ''), 'UTC')", SQL.identifier(company, "crm_care_tz"))

    @api.model
    def _get_purchase_sql(self, currency_id=None, tz=None, partner_ids=None):
        """SELECT of the ledger rows (one per document and purchase it belongs to).

        currency_id: currency of `amount` (an id), else each row's company currency.
        tz: timezone name of the business dates, else each row's company timezone.
        partner_ids: commercial entities to restrict to, else all.
        Columns: SOURCE_COLUMNS (currency_id renamed document_currency_id, amount_untaxed renamed
        amount_currency), currency_id (the target currency), date (business date), date_order (UTC
        instant: a date's local midnight for documents dated to the day), amount (NULL without rate),
        is_currency_rate_missing.
        """
        run = self.env["crm.lifecycle.run"]
        union = SQL(" UNION ALL ").join(self._get_purchase_source_sqls(partner_ids))
        zone = SQL("%s::varchar", tz) if tz else self._get_company_tz_sql("c")
        target = SQL("%s::int", currency_id) if currency_id else SQL("c.currency_id")
        return SQL(
            """
            SELECT src.id, src.partner_id, src.company_id, src.currency_id AS document_currency_id,
                   COALESCE(src.date_order, (src.invoice_date::timestamp AT TIME ZONE %(zone)s) AT TIME ZONE 'UTC')
                       AS date_order,
                   COALESCE(src.invoice_date, (src.date_order AT TIME ZONE 'UTC' AT TIME ZONE %(zone)s)::date) AS date,
                   src.amount_untaxed AS amount_currency, src.source, src.res_model, src.res_id, src.name,
                   src.sale_order_id, src.move_id, src.purchase_model, src.purchase_id,
                   %(target)s AS currency_id,
                   %(amount)s AS amount,
                   %(without_rate)s AS is_currency_rate_missing
              FROM (%(union)s) AS src (%(columns)s)
              JOIN res_company c ON c.id = src.company_id
            """,
            zone=zone,
            target=target,
            amount=run._get_order_amount_sql(target, "src", date=self._get_rate_date_sql("src")),
            without_rate=run._get_order_without_rate_sql(
                "src", SQL("c.currency_id"), date=self._get_rate_date_sql("src")
            ),
            union=union,
            columns=SQL(", ").join(map(SQL.identifier, SOURCE_COLUMNS)),
        )

    @api.model
    def _get_rate_date_sql(self, alias):
        """SQL: the date whose exchange rate converts a source row: its invoice date, else its order's UTC day
        (as Odoo dates the rate of an order)."""
        return SQL("COALESCE(%s, %s::date)", SQL.identifier(alias, "invoice_date"), SQL.identifier(alias, "date_order"))

    @api.model
    def _get_purchase_totals_sql(self, currency_id=None, tz=None, partner_ids=None, until=None):
        """SELECT of the purchases, one row per purchase with its refunds netted.

        until: a date; invoices and credit notes dated after it (their date is typed by a person: an invoice
        dated in the future) are left out until that day, so they count from their date on (the nightly
        refresh of that day). Orders are dated by Odoo when confirmed or paid.

        Columns: partner_id, company_id, purchase_model, purchase_id, date_order (the instant of the
        purchase document itself), amount (net untaxed amount in `currency_id`, NULL when none is known),
        counted (the net amount in document currency is above zero: it is a purchase; a fully refunded or
        zero-amount one is not, but its amount, 0 or negative, still adds to revenue).
        """
        return SQL(
            """
            SELECT l.partner_id, MIN(l.company_id) AS company_id, l.purchase_model, l.purchase_id,
                   COALESCE(MIN(l.date_order) FILTER (WHERE l.res_model = l.purchase_model
                                                        AND l.res_id = l.purchase_id),
                            MIN(l.date_order)) AS date_order,
                   SUM(l.amount) AS amount,
                   SUM(l.amount_currency) > 0 AS counted
              FROM (%s) l
             WHERE %s
             GROUP BY l.partner_id, l.purchase_model, l.purchase_id
            """,
            self._get_purchase_sql(currency_id, tz, partner_ids),
            SQL("(l.source NOT IN ('credit_note', 'invoice') OR l.date <= %s)", until) if until else SQL("TRUE"),
        )

    @property
    def _table_query(self):
        return self._get_purchase_sql()

    def action_open_document(self):
        """Open the document of this row (sale order, invoice, credit note, ...)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "views": [(False, "form")],
        }
