from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tools import SQL

from odoo.addons.crm_lifecycle.tools.customer_lang import customer_env

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
# Loyalty program types a compensation can give a coupon of
COUPON_PROGRAM_TYPES = ("coupons", "gift_card", "ewallet")
# ... and those whose cards carry the compensation's amount as points rather than one use
AMOUNT_PROGRAM_TYPES = ("gift_card", "ewallet")
# States of the compensations that count in the complaint's running total and reserve part of an invoice.
COMMITTED_STATES = ("to_approve", "approved", "done")
# Fields only the workflow actions write (through _transition), never a create or a write of a user.
WORKFLOW_FIELDS = ("state", "requester_id", "approver_id", "approval_date", "credit_note_id", "coupon_code")


class CrmComplaintCompensation(models.Model):
    """A remedy offered to the customer. When the complaint's running total of compensations (this one
    included) is above the company's approval amount, a Customer Care Manager other than the requester
    approves it; applying it creates the real document (credit note, coupon).

    The state, requester, approver, approval date and the documents made are written by the actions only
    (submit, approve, refuse, reset, apply); amount, kind, complaint and the document to credit only while
    the compensation is a draft."""

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
    amount = fields.Monetary(currency_field="currency_id", tracking=True, help="In the company's currency.")
    description = fields.Char()
    state = fields.Selection(STATES, required=True, default="draft", readonly=True, copy=False, tracking=True)
    requester_id = fields.Many2one(
        "res.users", string="Requested By", readonly=True, copy=False, default=lambda self: self.env.user
    )
    approver_id = fields.Many2one("res.users", string="Approved By", readonly=True, copy=False, tracking=True)
    approval_date = fields.Datetime(readonly=True, copy=False)
    complaint_total = fields.Monetary(
        currency_field="currency_id",
        compute="_compute_needs_approval",
        help="The complaint's compensations waiting for approval, approved or done, plus this one (company "
        "currency): above the approval amount, a Customer Care Manager approves.",
    )
    needs_approval = fields.Boolean(
        compute="_compute_needs_approval",
        help="The complaint's total (this compensation included) is above the company's approval amount.",
    )
    invoice_id = fields.Many2one(
        "account.move",
        string="Invoice to Credit",
        check_company=True,
        copy=False,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'),"
        " ('commercial_partner_id', '=', commercial_partner_id)]",
        help="Defaults to the last posted invoice of the complaint's sales order (set when submitted).",
    )
    commercial_partner_id = fields.Many2one(related="complaint_id.commercial_partner_id")
    credit_note_id = fields.Many2one("account.move", readonly=True, copy=False)
    coupon_code = fields.Char(readonly=True, copy=False)
    coupon_program_id = fields.Many2one(
        "loyalty.program",
        check_company=True,
        domain="[('program_type', 'in', ('coupons', 'gift_card', 'ewallet')), '|', ('company_id', '=', False),"
        " ('company_id', '=', company_id)]",
        help="Loyalty program of the coupon (coupons: one use; gift card, eWallet: the amount as points), of the "
        "complaint's company.",
    )

    @api.depends(
        "amount",
        "state",
        "complaint_id.compensation_ids.amount",
        "complaint_id.compensation_ids.state",
        "company_id.complaint_approval_amount",
    )
    def _compute_needs_approval(self):
        for compensation in self:
            # sudo: the total counts every compensation of the complaint, whoever may read them
            others = compensation.complaint_id.sudo().compensation_ids.filtered(
                lambda other, compensation=compensation: other._origin != compensation._origin
                and other.state in COMMITTED_STATES
            )
            total = sum(others.mapped("amount")) + compensation.amount
            compensation.complaint_total = total
            compensation.needs_approval = (
                compensation.company_id.currency_id.compare_amounts(
                    total, compensation.company_id.complaint_approval_amount
                )
                > 0
            )

    @api.constrains("amount")
    def _check_amount(self):
        for compensation in self:
            if compensation.amount < 0:
                raise ValidationError(self.env._("A compensation cannot have a negative amount."))

    @api.model
    def _get_draft_only_fields(self):
        """Fields a user may change only while the compensation is a draft (set of names)."""
        return {"amount", "kind", "invoice_id", "complaint_id", "coupon_program_id"}

    @api.model_create_multi
    def create(self, vals_list):
        compensations = super().create(vals_list)
        if not self.env.su:
            # after create: default_* context keys count as much as the values given
            for compensation in compensations:
                if (
                    compensation.state != "draft"
                    or compensation.approver_id
                    or compensation.approval_date
                    or compensation.credit_note_id
                    or compensation.coupon_code
                    or compensation.requester_id not in (self.env.user, self.env["res.users"])
                ):
                    raise UserError(
                        self.env._(
                            "A compensation starts as a draft requested by you: submit it, and a Customer Care "
                            "Manager approves it when needed."
                        )
                    )
        return compensations

    def write(self, vals):
        # The workflow writes as superuser (_transition), after checking the user may act; a user's own write
        # (form, RPC, whatever the context says) never sets the state, the approver or the documents made.
        if not self.env.su:
            if set(WORKFLOW_FIELDS) & vals.keys():
                raise UserError(self.env._("Use the buttons to submit, approve, refuse or apply a compensation."))
            if self._get_draft_only_fields() & vals.keys() and any(
                compensation.state != "draft" for compensation in self
            ):
                raise UserError(self.env._("Only a draft compensation can be changed: reset it to draft first."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_committed(self):
        """Only a draft or refused compensation can be deleted: one waiting for approval, approved or done is
        part of the complaint's running total and of what was credited (its credit note, its coupon)."""
        if any(compensation.state in COMMITTED_STATES for compensation in self):
            raise UserError(
                self.env._(
                    "A compensation waiting for approval, approved or done cannot be deleted: it counts in the "
                    "complaint's total and may have made a credit note or a coupon. Refuse it instead."
                )
            )

    def _transition(self, vals):
        # sudo: the only way to the workflow fields (see write); the calling action checked the user's rights
        return self.sudo().write(vals)

    def _check_manager(self):
        if not self.env.user.has_group("crm_lifecycle.group_crm_care_manager"):
            raise AccessError(self.env._("Only a Customer Care Manager can approve or refuse a compensation."))

    def _lock_complaint_compensations(self):
        """Lock every compensation of these complaints (FOR UPDATE): two submissions on one complaint are
        serialized, the later one sees the earlier one in its running total (or is retried)."""
        self.env.flush_all()
        self.env.execute_query(
            SQL(
                "SELECT id FROM crm_complaint_compensation WHERE complaint_id IN %s ORDER BY id FOR UPDATE",
                tuple(self.complaint_id.ids),
            )
        )

    def action_submit(self):
        """Submit drafts: approved at once when the complaint's running total stays within the approval amount,
        else waiting for a Customer Care Manager. A credit note is pinned to its invoice and checked against
        what is left to refund on it."""
        self.check_access("write")
        if any(compensation.state != "draft" for compensation in self):
            raise UserError(self.env._("Only a draft compensation can be submitted."))
        self._lock_complaint_compensations()
        for compensation in self:
            compensation.invalidate_recordset()
            compensation.complaint_id.invalidate_recordset(["compensation_ids"])
            vals = {"requester_id": self.env.user.id}
            if compensation.kind == "credit_note":
                # sudo: the invoice of the complaint's own order, which the user may not read (see _get_invoice)
                invoice = compensation.sudo()._get_invoice()
                if invoice:
                    compensation._check_refundable(invoice)
                    vals["invoice_id"] = invoice.id
            if compensation.needs_approval:
                compensation._transition({**vals, "state": "to_approve"})
                compensation.complaint_id._message_log(
                    body=Markup("<p>%s</p>")
                    % self.env._(
                        "Compensation of %(amount)s waits for a Customer Care Manager's approval"
                        " (the complaint's compensations total %(total)s).",
                        amount=compensation.currency_id.format(compensation.amount),
                        total=compensation.currency_id.format(compensation.complaint_total),
                    )
                )
            else:
                compensation._transition({**vals, "state": "approved"})

    def action_approve(self):
        self._check_manager()
        self.check_access("write")
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
        self.check_access("write")
        if any(compensation.state != "to_approve" for compensation in self):
            raise UserError(self.env._("Only a compensation waiting for approval can be refused."))
        self._transition({"state": "refused", "approver_id": self.env.user.id, "approval_date": fields.Datetime.now()})

    def action_reset_draft(self):
        self.check_access("write")
        if any(compensation.state not in ("refused", "to_approve") for compensation in self):
            raise UserError(self.env._("Only a refused or waiting compensation can go back to draft."))
        self._transition({"state": "draft", "approver_id": False, "approval_date": False})

    def action_apply(self):
        """Give the remedy: a draft credit note on the invoice, a loyalty coupon, or simply done."""
        self.check_access("write")
        for compensation in self:
            if compensation.state != "approved":
                raise UserError(self.env._("Only an approved compensation can be applied."))
            vals = {"state": "done"}
            if compensation.kind == "credit_note":
                credit_note = compensation._create_credit_note()
                vals.update(credit_note_id=credit_note.id, invoice_id=credit_note.reversed_entry_id.id)
            elif compensation.kind == "coupon":
                vals["coupon_code"] = compensation._create_coupon()[:1].code
            compensation._transition(vals)

    def _get_invoice(self):
        self.ensure_one()
        if self.invoice_id:
            return self.invoice_id
        invoices = self.complaint_id.sale_order_id.invoice_ids.filtered(
            lambda move: move.move_type == "out_invoice" and move.state == "posted"
        )
        return invoices.sorted(lambda move: (move.invoice_date or fields.Date.today(), move.id))[-1:]

    def _get_invoice_amount(self, invoice):
        """This compensation's amount in the invoice's currency at the invoice date; a UserError when the
        invoice's currency has no exchange rate at that date (Odoo would then convert at 1.0)."""
        self.ensure_one()
        date = invoice.invoice_date or fields.Date.context_today(self)
        if invoice.currency_id != self.currency_id:
            # sudo: exchange rates are accounting data; only whether one exists at that date is read
            has_rate = (
                self.env["res.currency.rate"]
                .sudo()
                .search_count(
                    [
                        ("currency_id", "=", invoice.currency_id.id),
                        ("company_id", "in", (False, invoice.company_id.root_id.id)),
                        ("name", "<=", date),
                    ],
                    limit=1,
                )
            )
            if not has_rate:
                raise UserError(
                    self.env._(
                        "Invoice %(invoice)s is in %(currency)s, which has no exchange rate on %(date)s: add the "
                        "rate in Accounting before crediting a compensation on it.",
                        invoice=invoice.name,
                        currency=invoice.currency_id.name,
                        date=fields.Date.to_string(date),
                    )
                )
        return self.currency_id._convert(self.amount, invoice.currency_id, invoice.company_id, date)

    def _check_refundable(self, invoice):
        """Refuse (UserError) a credit of this compensation above what is left to refund on `invoice`: its total
        minus its credit notes (draft or posted) and the other credit-note compensations reserved on it
        (waiting for approval or approved, not applied yet)."""
        self.ensure_one()
        invoice = invoice.sudo()  # sudo: the user need not be an accountant (see _create_credit_note)
        if invoice.company_id != self.company_id:
            raise UserError(
                self.env._(
                    "Invoice %(invoice)s belongs to %(company)s, not to the complaint's company.",
                    invoice=invoice.name,
                    company=invoice.company_id.name,
                )
            )
        # the form's domain, enforced: a posted customer invoice of the complaint's customer
        if (
            invoice.move_type != "out_invoice"
            or invoice.state != "posted"
            or invoice.commercial_partner_id != self.complaint_id.commercial_partner_id
        ):
            raise UserError(
                self.env._(
                    "%(invoice)s is not a posted invoice of the complaint's customer: choose one of theirs.",
                    invoice=invoice.display_name,
                )
            )
        amount = self._get_invoice_amount(invoice)
        currency = invoice.currency_id
        credited = 0.0
        for refund in invoice.reversal_move_ids.filtered(
            lambda move: move.move_type == "out_refund" and move.state in ("draft", "posted")
        ):
            credited += refund.currency_id._convert(
                refund.amount_total, currency, invoice.company_id, refund.invoice_date or refund.date
            )
        reserved = self.sudo().search(
            [
                ("id", "!=", self._origin.id),
                ("invoice_id", "=", invoice.id),
                ("kind", "=", "credit_note"),
                ("state", "in", ("to_approve", "approved")),
            ]
        )
        credited += sum(other._get_invoice_amount(invoice) for other in reserved)
        left = currency.round(invoice.amount_total - credited)
        if currency.compare_amounts(amount, left) > 0:
            raise UserError(
                self.env._(
                    "Invoice %(invoice)s has %(left)s left to refund (total %(total)s, of which %(credited)s is "
                    "already credited or reserved by other compensations): a compensation of %(amount)s cannot be "
                    "credited on it.",
                    invoice=invoice.name,
                    left=currency.format(max(left, 0.0)),
                    total=currency.format(invoice.amount_total),
                    credited=currency.format(credited),
                    amount=currency.format(amount),
                )
            )
        return amount

    def _lock_invoice_compensations(self, invoice):
        """Lock the credit-note compensations pinned to `invoice` (FOR UPDATE): two credits of one invoice are
        serialized, the later one counts the earlier one's credit note (or is retried)."""
        self.env.flush_all()
        self.env.execute_query(
            SQL(
                "SELECT id FROM crm_complaint_compensation WHERE invoice_id = %s OR id = %s ORDER BY id FOR UPDATE",
                invoice.id,
                self.id,
            )
        )
        self.invalidate_model()

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
        self._lock_invoice_compensations(invoice)
        amount = self._check_refundable(invoice)
        source_line = invoice.invoice_line_ids.filtered(lambda line: line.display_type == "product")[:1]
        # the credit note's reference and line are the customer's (printed, sent): in their language; the note
        # in its chatter is for the staff
        label = self._get_customer_label(invoice.partner_id)
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
            body=Markup("<p>%s</p>")
            % self.env._("Compensation for complaint %(complaint)s", complaint=self.complaint_id.name),
            subtype_xmlid="mail.mt_note",
            author_id=self.env.user.partner_id.id,
        )
        return credit_note

    def _create_coupon(self):
        """Issue the coupon through Odoo's coupon generation (loyalty.generate.wizard): the card reserved to the
        complaint's customer and its "issued" history line, and the program's mail on creation if it has one.
        A UserError when the program is missing, of another company or of the wrong type."""
        self.ensure_one()
        program = self.coupon_program_id
        if not program:
            raise UserError(self.env._("Choose the loyalty program of the coupon."))
        if not self.partner_id:
            raise UserError(self.env._("A coupon needs a customer on the complaint."))
        # checked again here, whatever was stored: a coupon of another company is never issued
        if program.company_id and program.company_id != self.company_id:
            raise UserError(
                self.env._(
                    "The loyalty program %(program)s belongs to %(company)s, not to the complaint's company.",
                    program=program.name,
                    company=program.company_id.name,
                )
            )
        if program.program_type not in COUPON_PROGRAM_TYPES or not program.active:
            raise UserError(self.env._("The loyalty program %(program)s cannot give coupons.", program=program.name))
        points = self.amount if program.program_type in AMOUNT_PROGRAM_TYPES else 1.0
        # sudo: coupons are issued by sales administrators in the Loyalty app; the compensation was approved
        wizard = (
            self.env["loyalty.generate.wizard"]
            .sudo()
            .with_company(self.company_id)
            .create(self._prepare_coupon_wizard_values(program, points))
        )
        return wizard.generate_coupons()

    def _prepare_coupon_wizard_values(self, program, points):
        """Values of the loyalty.generate.wizard that issues this compensation's coupon (dict)."""
        self.ensure_one()
        return {
            "program_id": program.id,
            "mode": "selected",
            "customer_ids": [Command.set(self.partner_id.ids)],
            "points_granted": points,
            # the card's history line is the customer's (portal, emails): in their language
            "description": self._get_customer_label(self.partner_id),
        }

    def _get_customer_label(self, partner):
        """ "Compensation for complaint CMP/…" (str) in the language of `partner`, the customer who reads it on the
        credit note or the coupon (crm_lifecycle's `customer_lang`: theirs, not the acting user's)."""
        self.ensure_one()
        return customer_env(self, partner, self.company_id).env._(
            "Compensation for complaint %(complaint)s", complaint=self.complaint_id.name
        )
