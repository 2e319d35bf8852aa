"""Execution of the `issue_coupon` campaign step (see crm_care_step.py)."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command

from odoo.addons.crm_lifecycle.tools.customer_lang import customer_lang


class CrmCareTouch(models.Model):
    _inherit = "crm.care.touch"

    loyalty_card_id = fields.Many2one("loyalty.card", string="Coupon", readonly=True, ondelete="set null")

    @api.model
    def _care_contact_actions(self):
        """A coupon reaches the customer (on their account, by the program's email): opt-outs and contact
        pressure apply to it."""
        return super()._care_contact_actions() | {"issue_coupon"}

    def _care_veto_contact(self):
        """A coupon step whose program emails each coupon on creation is an email: like the email steps, it
        skips contacts without an address or with a blacklisted one (the opt-out is vetoed for every contact
        action by the base)."""
        reasons = super()._care_veto_contact()
        mailing = self.filtered(
            lambda touch: touch.id not in reasons
            and touch.step_id.action == "issue_coupon"
            and touch.step_id._coupon_program_mails_on_creation()
        )
        if not mailing:
            return reasons
        # Odoo's own blacklist flag (mail.thread.blacklist), computed for the whole batch at once
        blacklisted = set(mailing.partner_id.sudo().filtered("is_blacklisted").ids)
        for touch in mailing:
            if not touch.partner_id.email_normalized:
                reasons[touch.id] = "no_email"
            elif touch.partner_id.id in blacklisted:
                reasons[touch.id] = "blacklisted"
        return reasons

    def _care_consent_channels(self):
        """A coupon step whose program emails each coupon on creation reaches the customer by email: it needs the
        email consent of marketing campaigns; a coupon only put on the customer's account needs none."""
        channels = super()._care_consent_channels()
        for touch in self.filtered(lambda touch: touch.step_id.action == "issue_coupon"):
            if touch.step_id._coupon_program_mails_on_creation():
                channels[touch.id] = "email"
        return channels

    def _care_execute_issue_coupon(self):
        """Issue one coupon per due touch of one step (self), reserved to the touch's customer, through Odoo's
        coupon generation (loyalty.generate.wizard: the card, its "issued" history line and the program's mail
        on creation). A program of another company than the touches', or an archived one, is refused (UserError: the
        touches fail)."""
        touches = self.filtered(lambda touch: not touch.loyalty_card_id)
        step = self.step_id
        step.ensure_one()
        program = step.coupon_program_id
        company = self.company_id[:1] or self.env.company
        if not program.active:  # a step restored after its program was archived
            raise UserError(
                self.env._(
                    "The coupon program %(program)s is archived: its coupons cannot be used.", program=program.name
                )
            )
        if program.company_id and program.company_id != company:
            raise UserError(
                self.env._(
                    "The coupon program %(program)s belongs to %(company)s, not to the campaign's company.",
                    program=program.name,
                    company=program.company_id.name,
                )
            )
        today = company._get_lifecycle_today()[0]
        expiration = today + timedelta(days=step.coupon_validity_days) if step.coupon_validity_days else False
        cards = self.env["loyalty.card"]
        todo = touches
        while todo:
            # the wizard issues one coupon per customer: a customer twice in the batch waits for the next round
            batch = todo.browse(list({touch.partner_id: touch.id for touch in reversed(todo)}.values()))
            issued = self.env["loyalty.card"]
            # one generation per language: the coupon's history line is the customer's, in their language
            for lang, group in batch.grouped(lambda t: customer_lang(t.partner_id, company)).items():
                # sudo: coupons are issued by sales administrators in the Loyalty app; the campaign decided to issue
                wizard = (
                    self.env["loyalty.generate.wizard"]
                    .sudo()
                    .with_company(company)
                    .create(
                        {
                            "program_id": program.id,
                            "mode": "selected",
                            "customer_ids": [Command.set(group.partner_id.ids)],
                            "points_granted": step.coupon_points,
                            "valid_until": expiration,
                            "description": self.with_context(lang=lang).env._(
                                "Care campaign %(campaign)s",
                                campaign=step.campaign_id.with_context(lang=lang).name,
                            ),
                        }
                    )
                )
                issued |= wizard.generate_coupons()
            by_partner = {card.partner_id: card for card in issued}
            for touch in batch:
                card = by_partner.get(touch.partner_id)
                if card:
                    touch._mark_done(loyalty_card_id=card.id)
                else:  # Odoo's generation skips what it cannot find (an archived contact)
                    touch._mark_failed(self.env._("Odoo's coupon generation issued no coupon for this contact."))
            cards |= issued
            todo -= batch
        (self - touches)._mark_done()
        return cards
