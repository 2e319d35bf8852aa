from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command

KINDS = [
    ("refund", "Refund"),
    ("credit_note", "Credit Note"),
    ("replacement", "Replacement"),
    ("coupon", "Coupon"),
    ("gift", "Gift"),
    ("other", "Other"),
]
STATES = [
    ("draft", "Draft"),
    ("to_approve", "To Approve"),
    ("approved", "Approved"),
    ("refused", "Refused"),
    ("done", "Done"),
]
# loyalty program types whose cards carry an amount (the compensation's) rather than one use
AMOUNT_PROGRAM_TYPES = ("gift_card", "ewallet")


class CrmComplaintCompensation(models.Model):
    """A remedy offered to the customer. Above the company's approval amount a Customer Care Manager other
    than the requester approves it; applying it creates the real document (credit note, coupon)."""

    _name = "crm.complaint.compensation"
    _description = "Complaint Compensation"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    complaint_id = fields.Many2one("crm.complaint", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="complaint_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="complaint_id.partner_id", string="Customer")
    currency_id = fields.Many2one(related="company_id.currency_id")
    kind = fields.Selection(KINDS, required=True, default="credit_note", tracking=True)
    amount = fields.Monetary(currency_field="currency_id", tracking=True)
    description = fields.Char()
    state = fields.Selection(STATES, required=True, default="draft", readonly=True, copy=False, tracking=True)
    requester_id = fields.Many2one(
        "res.users", string="Requested By", readonly=True, copy=False, default=lambda self: self.env.user
    )
    approver_id = fields.Many2one("res.users", string="Approved By", readonly=True, copy=False, tracking=True)
    approval_date = fields.Datetime(readonly=True, copy=False)
    needs_approval = fields.Boolean(compute="_compute_needs_approval")
    invoice_id = fields.Many2one(
        "account.move",
        string="Invoice to Credit",
        check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'),"
        " ('commercial_partner_id', '=', commercial_partner_id)]",
        help="Defaults to the last posted invoice of the complaint's sales order.",
    )
    commercial_partner_id = fields.Many2one(related="complaint_id.commercial_partner_id")
    credit_note_id = fields.Many2one("account.move", readonly=True, copy=False)
    coupon_program = fields.Selection(
        selection="_selection_coupon_program",
        help="Loyalty program of the coupon (coupons, gift cards; needs the Loyalty app).",
    )
    coupon_code = fields.Char(readonly=True, copy=False)

    @api.model
    def _selection_coupon_program(self):
        if "loyalty.program" not in self.env:
            return []
        programs = (
            self.env["loyalty.program"]
            .sudo()
            .search([("program_type", "in", ["coupons", "gift_card", "ewallet"]), ("active", "=", True)])
        )
        return [(str(program.id), program.name) for program in programs]

    @api.depends("amount", "company_id.complaint_approval_amount")
    def _compute_needs_approval(self):
        for compensation in self:
            compensation.needs_approval = compensation.amount > compensation.company_id.complaint_approval_amount

    @api.constrains("amount")
    def _check_amount(self):
        for compensation in self:
            if compensation.amount < 0:
                raise ValidationError(self.env._("A compensation cannot have a negative amount."))

    def write(self, vals):
        if not self.env.context.get("crm_compensation_transition"):
            if {"state", "approver_id", "approval_date", "requester_id"} & vals.keys():
                raise UserError(self.env._("Use the buttons to submit, approve, refuse or apply a compensation."))
            if {"amount", "kind", "invoice_id", "coupon_program", "complaint_id"} & vals.keys() and any(
                compensation.state != "draft" for compensation in self
            ):
                raise UserError(self.env._("Only a draft compensation can be changed: reset it to draft first."))
        return super().write(vals)

    def _transition(self, vals):
        return self.with_context(crm_compensation_transition=True).write(vals)

    def _check_manager(self):
        if not self.env.user.has_group("crm_lifecycle.group_crm_care_manager"):
            raise AccessError(self.env._("Only a Customer Care Manager can approve or refuse a compensation."))

    def action_submit(self):
        for compensation in self:
            if compensation.state != "draft":
                raise UserError(self.env._("Only a draft compensation can be submitted."))
            if compensation.needs_approval:
                compensation._transition({"state": "to_approve", "requester_id": self.env.user.id})
                compensation.complaint_id._message_log(
                    body=Markup("<p>%s</p>")
                    % self.env._(
                        "Compensation of %(amount)s waits for a Customer Care Manager's approval.",
                        amount=compensation.amount,
                    )
                )
            else:
                compensation._transition({"state": "approved", "requester_id": self.env.user.id})

    def action_approve(self):
        self._check_manager()
        for compensation in self:
            if compensation.state != "to_approve":
                raise UserError(self.env._("Only a compensation waiting for approval can be approved."))
            if compensation.requester_id == self.env.user:
                raise UserError(
                    self.env._("You cannot approve your own compensation: another Customer Care Manager must.")
                )
        self._transition({"state": "approved", "approver_id": self.env.user.id, "approval_date": fields.Datetime.now()})

    def action_refuse(self):
        self._check_manager()
        if any(compensation.state != "to_approve" for compensation in self):
            raise UserError(self.env._("Only a compensation waiting for approval can be refused."))
        self._transition({"state": "refused", "approver_id": self.env.user.id, "approval_date": fields.Datetime.now()})

    def action_reset_draft(self):
        if any(compensation.state not in ("refused", "to_approve") for compensation in self):
            raise UserError(self.env._("Only a refused or waiting compensation can go back to draft."))
        self._transition({"state": "draft", "approver_id": False, "approval_date": False})

    def action_apply(self):
        """Give the remedy: a draft credit note on the invoice, a loyalty coupon, or simply done."""
        for compensation in self:
            if compensation.state != "approved":
                raise UserError(self.env._("Only an approved compensation can be applied."))
            vals = {"state": "done"}
            if compensation.kind == "credit_note":
                vals["credit_note_id"] = compensation._create_credit_note().id
            elif compensation.kind == "coupon":
                vals["coupon_code"] = compensation._create_coupon().code
            compensation._transition(vals)

    def _get_invoice(self):
        self.ensure_one()
        if self.invoice_id:
            return self.invoice_id
        invoices = self.complaint_id.sale_order_id.invoice_ids.filtered(
            lambda move: move.move_type == "out_invoice" and move.state == "posted"
        )
        return invoices.sorted(lambda move: (move.invoice_date or fields.Date.today(), move.id))[-1:]

    def _create_credit_note(self):
        self.ensure_one()
        # sudo: the user may handle the complaint without seeing the sales order (another salesperson's); the
        # invoice is the one of the complaint's own order, or one of the customer's chosen on the compensation
        invoice = self.sudo()._get_invoice()
        if not invoice:
            raise UserError(
                self.env._(
                    "Complaint %(complaint)s has no posted invoice to credit: link it to an invoiced sales order or "
                    "choose the invoice on the compensation.",
                    complaint=self.complaint_id.name,
                )
            )
        amount = self.currency_id._convert(
            self.amount, invoice.currency_id, self.company_id, invoice.invoice_date or fields.Date.today()
        )
        if invoice.currency_id.compare_amounts(amount, invoice.amount_total) > 0:
            raise UserError(
                self.env._(
                    "The compensation (%(amount)s) is more than invoice %(invoice)s (%(total)s).",
                    amount=amount,
                    invoice=invoice.name,
                    total=invoice.amount_total,
                )
            )
        source_line = invoice.invoice_line_ids.filtered(lambda line: line.display_type == "product")[:1]
        label = self.env._("Compensation for complaint %(complaint)s", complaint=self.complaint_id.name)
        # sudo: Customer Care users need not be accountants; the compensation was approved (checked above),
        # and the credit note stays a draft for accounting to post.
        credit_note = (
            self.env["account.move"]
            .sudo()
            .with_company(invoice.company_id)
            .create(
                {
                    "move_type": "out_refund",
                    "partner_id": invoice.partner_id.id,
                    "journal_id": invoice.journal_id.id,
                    "currency_id": invoice.currency_id.id,
                    "reversed_entry_id": invoice.id,
                    "invoice_origin": invoice.name,
                    "ref": label,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": label,
                                "quantity": 1,
                                "price_unit": amount,
                                "account_id": source_line.account_id.id,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        credit_note.message_post(
            body=Markup("<p>%s</p>") % label, subtype_xmlid="mail.mt_note", author_id=self.env.user.partner_id.id
        )
        return credit_note

    def _create_coupon(self):
        self.ensure_one()
        if "loyalty.card" not in self.env:
            raise UserError(self.env._("Coupons need the Loyalty app: install it or choose another compensation."))
        if not self.coupon_program:
            raise UserError(self.env._("Choose the loyalty program of the coupon."))
        if not self.partner_id:
            raise UserError(self.env._("A coupon needs a customer on the complaint."))
        program = self.env["loyalty.program"].sudo().browse(int(self.coupon_program)).exists()
        if not program:
            raise UserError(self.env._("The coupon's loyalty program no longer exists."))
        points = self.amount if program.program_type in AMOUNT_PROGRAM_TYPES else 1.0
        # sudo: loyalty cards are managed by sales administrators; the compensation was approved above
        return (
            self.env["loyalty.card"]
            .sudo()
            .create({"program_id": program.id, "partner_id": self.partner_id.id, "points": points})
        )
