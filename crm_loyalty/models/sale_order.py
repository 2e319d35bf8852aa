from odoo import fields, models
from odoo.tools import float_round

from odoo.addons.crm_lifecycle.tools import schema
from odoo.addons.crm_lifecycle.tools.customer_lang import customer_env


class SaleOrder(models.Model):
    _inherit = "sale.order"

    partner_loyalty_tier_id = fields.Many2one(
        related="partner_id.commercial_partner_id.loyalty_tier_id", string="Customer Tier"
    )
    loyalty_tier_id = fields.Many2one(
        "crm.loyalty.tier",
        string="Points Tier",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The customer's tier when the order's membership points were computed.",
    )
    loyalty_points_multiplier = fields.Float(
        string="Points Multiplier",
        readonly=True,
        copy=False,
        default=1.0,
        digits=(16, 2),
        help="Multiplier of the tier applied to the membership points this order earns.",
    )

    def _auto_init(self):
        # Every existing order gets the neutral multiplier without rewriting the orders table (Odoo's column
        # initialisation updates every row: minutes on millions of orders at installation).
        field = self._fields["loyalty_points_multiplier"]
        schema.create_column_filled(self.env.cr, self._table, field.name, field.column_type[1], 1.0)
        return super()._auto_init()

    def _crm_care_refresh_customers(self, customers, vals):
        """Evaluate the tiers of customers whose confirmed orders change, in this transaction, after
        crm_lifecycle's refresh."""
        result = super()._crm_care_refresh_customers(customers, vals)
        customers._loyalty_refresh(enroll=vals.get("state") == "sale")
        return result

    def _loyalty_membership_program(self):
        self.ensure_one()
        return self.company_id.loyalty_program_id

    def _program_check_compute_points(self, programs):
        """Multiply the points of the membership program by the customer's tier multiplier."""
        result = super()._program_check_compute_points(programs)
        program = self._loyalty_membership_program()
        status = result.get(program)
        if not program or not status or "points" not in status:
            return result
        tier = self.partner_id.commercial_partner_id.loyalty_tier_id
        multiplier = max(tier.points_multiplier, 1.0) if tier else 1.0
        if multiplier != 1.0:
            status["points"] = [
                float_round(points * multiplier, precision_digits=2, rounding_method="DOWN")
                for points in status["points"]
            ]
        if self.state in ("draft", "sent") and (
            self.loyalty_tier_id != tier or self.loyalty_points_multiplier != multiplier
        ):
            self.write({"loyalty_tier_id": tier.id, "loyalty_points_multiplier": multiplier})
        return result

    def _loyalty_member_card(self):
        """The membership card of the order's customer: the card of its commercial entity (owned by the
        entity, shared by all its contacts), created with 0 points when the entity has none yet."""
        self.ensure_one()
        program = self._loyalty_membership_program()
        entity = self.partner_id.commercial_partner_id.sudo()
        card = entity.loyalty_member_card_id
        if not (card.active and card.program_id == program and card.partner_id == entity):
            Card = self.env["loyalty.card"].sudo()
            card = Card.search([("partner_id", "=", entity.id), ("program_id", "=", program.id)], order="id", limit=1)
            if not card:
                card = Card.with_context(loyalty_no_mail=True, tracking_disable=True).create(
                    {"program_id": program.id, "partner_id": entity.id, "points": 0}
                )
        return card

    def _loyalty_points_to_member_card(self):
        """Give the membership points of an order placed by a contact to the card of the contact's
        commercial entity, not to a card of the ordering contact (sale_loyalty's choice): every contact's
        orders fill one card, which stays with the company when a contact leaves. A card sale_loyalty
        created for the contact on this quotation and left empty is removed."""
        self.ensure_one()
        program = self._loyalty_membership_program()
        entity = self.partner_id.commercial_partner_id
        if not program or self.partner_id == entity:
            return
        entries = self.coupon_point_ids.filtered(
            lambda entry: entry.coupon_id.program_id == program and entry.coupon_id.partner_id != entity
        )
        if not entries:
            return
        card = self._loyalty_member_card()
        contact_cards = entries.coupon_id
        entries.sudo().write({"coupon_id": card.id})
        contact_cards.sudo().filtered(
            lambda c: c.order_id == self and not c.points and not c.history_ids and not c.use_count
        ).unlink()

    def _add_loyalty_history_lines(self):
        """The membership card's history line of this order says which tier multiplied its points. Called
        by sale_loyalty at confirmation, after the last update of the order's programs and before the
        points are added to the cards: the points of a contact's order go to the commercial entity's card
        first (_loyalty_points_to_member_card). The lines ("Order S00012 (Gold tier: points ×1.5)") are the
        customer's: written in their language (crm_lifecycle's `customer_lang`), not the salesperson's."""
        self._loyalty_points_to_member_card()
        program = self._loyalty_membership_program()
        self = customer_env(self, self.partner_id, self.company_id)  # noqa: PLW0642 - sale_loyalty's text too
        if program and self.loyalty_points_multiplier != 1.0:
            cards = self.coupon_point_ids.coupon_id.filtered(lambda card: card.program_id == program)
            note = self.env._(
                "%(tier)s tier: points ×%(multiplier)s",
                tier=self.loyalty_tier_id.name,
                multiplier=f"{self.loyalty_points_multiplier:g}",
            )
            self = self.with_context(crm_loyalty_history_notes=dict.fromkeys(cards.ids, note))
        return super()._add_loyalty_history_lines()


class SaleOrderCouponPoints(models.Model):
    _inherit = "sale.order.coupon.points"

    points_multiplier = fields.Float(
        compute="_compute_points_multiplier", digits=(16, 2), help="Tier multiplier included in these points."
    )

    def _compute_points_multiplier(self):
        for entry in self:
            order = entry.order_id
            is_membership = entry.coupon_id.program_id == order.company_id.loyalty_program_id
            entry.points_multiplier = order.loyalty_points_multiplier if is_membership else 1.0
