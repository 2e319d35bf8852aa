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
        "crm.churn.reason", ondelete="restrict", help="Why the customer left, when a manager marked them lost."
    )
    user_id = fields.Many2one("res.users", string="By", default=lambda self: self.env.user, ondelete="set null")
