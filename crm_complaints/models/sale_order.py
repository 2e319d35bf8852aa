from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    complaint_ids = fields.One2many("crm.complaint", "sale_order_id", string="Complaints", groups="base.group_user")
    complaint_count = fields.Integer(compute="_compute_complaint_count", groups="base.group_user")

    def _compute_complaint_count(self):
        counts = dict(
            self.env["crm.complaint"]._read_group([("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"])
        )
        for order in self:
            order.complaint_count = counts.get(order, 0)

    def action_log_complaint(self):
        self.ensure_one()
        return self.env["crm.complaint"]._action_log_complaint(
            partner_id=self.partner_id.id,
            sale_order_id=self.id,
            product_id=self.order_line.product_id[:1].id,
            company_id=self.company_id.id,
        )

    def action_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_complaints.crm_complaint_action")
        action["domain"] = [("sale_order_id", "=", self.id)]
        action["context"] = {"default_sale_order_id": self.id, "default_partner_id": self.partner_id.id}
        return action
