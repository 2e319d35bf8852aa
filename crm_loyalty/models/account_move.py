from odoo import models
from odoo.tools import float_round

from odoo.addons.crm_lifecycle.tools.customer_lang import customer_env


class AccountMove(models.Model):
    _inherit = "account.move"

    def _crm_care_refresh_customers(self, customers):
        """Points follow returns (`_loyalty_take_back_points`), then the refresh of the customers, whose
        tier crm_loyalty's `res.partner._crm_care_refresh_purchases` evaluates: a refund lowers the
        qualifying spend at once (a downgrade waits for the review date)."""
        self.sudo()._loyalty_take_back_points()
        return super()._crm_care_refresh_customers(customers)

    def _loyalty_take_back_points(self):
        """Points follow returns: for each posted customer credit note among these moves, take back from
        the cards of loyalty programs the points that the sale orders it refunds earned on the refunded
        amount, pro rata (refunded untaxed amount / order's untaxed amount), with a loyalty history line
        naming the credit note.

        Only orders of the credit note's own customer (commercial entity) are taken back from, as in the
        purchase ledger; an order never loses more points than it earned (several partial refunds), a
        credit note takes back once (posted again after a reset: nothing more). A card never goes below
        zero: what it no longer has (points already redeemed) is added to its points shortfall
        (`crm_loyalty_points_shortfall`), shown on the card and the customer.
        """
        History = self.env["loyalty.history"]
        for credit_note in self.filtered(lambda move: move.move_type == "out_refund" and move.state == "posted"):
            customer = credit_note.commercial_partner_id
            # Refunded untaxed amount per order of the credit note's own customer.
            refunded = {}
            for line in credit_note.invoice_line_ids:
                if line.display_type != "product":
                    continue
                for order in line.sale_line_ids.order_id:
                    if order.state == "sale" and order.partner_id.commercial_partner_id == customer:
                        refunded[order] = refunded.get(order, 0.0) + line.price_subtotal
            if not refunded:
                continue
            orders = self.env["sale.order"].union(*refunded)
            # Points already taken back per (card, order), and the orders this credit note already did.
            reversed_points, done = {}, set()
            for line in History.search([("crm_loyalty_refund_order_id", "in", orders.ids)]):
                key = (line.card_id.id, line.crm_loyalty_refund_order_id.id)
                reversed_points[key] = reversed_points.get(key, 0.0) + line.crm_loyalty_points_reversed
                if line.order_model == credit_note._name and line.order_id == credit_note.id:
                    done.add(line.crm_loyalty_refund_order_id.id)
            for order, amount in refunded.items():
                if order.amount_untaxed <= 0 or order.id in done:
                    continue
                share = min(max(amount / order.amount_untaxed, 0.0), 1.0)
                for entry in order.coupon_point_ids:
                    card = entry.coupon_id
                    if entry.points <= 0 or card.program_id.program_type != "loyalty":
                        continue
                    already = reversed_points.get((card.id, order.id), 0.0)
                    points = min(float_round(entry.points * share, precision_digits=2), entry.points - already)
                    if points <= 0:
                        continue
                    taken = min(points, max(card.points, 0.0))
                    shortfall = float_round(points - taken, precision_digits=2)
                    card.with_context(loyalty_no_mail=True).points -= taken
                    if shortfall:
                        card.crm_loyalty_points_shortfall += shortfall
                    # the card's history line is the customer's: in their language, not the accountant's
                    env = customer_env(self, card.partner_id, credit_note.company_id).env
                    description = env._(
                        "Credit note %(credit_note)s: points of order %(order)s taken back",
                        credit_note=credit_note.name,
                        order=order.name,
                    )
                    if shortfall:
                        description += env._(" (%(points)s not on the card)", points=f"{shortfall:g}")
                    History.create(
                        {
                            "card_id": card.id,
                            "order_model": credit_note._name,
                            "order_id": credit_note.id,
                            "crm_loyalty_refund_order_id": order.id,
                            "crm_loyalty_points_reversed": points,
                            "issued": 0.0,
                            "used": taken,
                            "description": description,
                        }
                    )
