from odoo import fields, models


class CrmLifecycleHistory(models.Model):
    _name = "crm.lifecycle.history"
    _description = "Customer Lifecycle Stage History"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", required=True, index=True, ondelete="cascade")
    from_stage_id = fields.Many2one("crm.lifecycle.stage", ondelete="restrict")
    to_stage_id = fields.Many2one("crm.lifecycle.stage", index=True, ondelete="restrict")
    date = fields.Date(required=True, default=lambda self: self.env.company._get_lifecycle_today()[0], index=True)
    reason = fields.Selection(
        [("order", "Order"), ("time", "Time"), ("manual", "Manual"), ("stage_retired", "Stage Retired")],
        required=True,
        default="manual",
    )
    order_id = fields.Many2one("sale.order", ondelete="set null")
    churn_reason_id = fields.Many2one(
        "crm.churn.reason",
        ondelete="restrict",
        help="Why the customer left: given by a manager (Mark as Lost), by the caller of a win-back call or by the "
        "customer in the exit survey.",
    )
    churn_reason_note = fields.Text()
    churn_reason_source = fields.Selection(
        [("lost", "Marked as Lost"), ("win_back_call", "Win-back Call"), ("exit_survey", "Exit Survey")],
        string="Churn Reason From",
        help="Where the churn reason was recorded.",
    )
    user_id = fields.Many2one("res.users", string="By", default=lambda self: self.env.user, ondelete="set null")
