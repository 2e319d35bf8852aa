from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmComplaintCategory(models.Model):
    _name = "crm.complaint.category"
    _description = "Complaint Category"
    _parent_name = "parent_id"
    _parent_store = True
    _rec_name = "complete_name"
    _order = "complete_name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    complete_name = fields.Char(compute="_compute_complete_name", recursive=True, store=True)
    parent_id = fields.Many2one(
        "crm.complaint.category", string="Parent Category", index=True, ondelete="cascade", check_company=True
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("crm.complaint.category", "parent_id", string="Subcategories")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company")
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Reply Template",
        domain=[("model", "=", "crm.complaint")],
        help="Acknowledgement sent to the customer when a complaint of this category is created. Without "
        "one, the parent category's template is used, then the default acknowledgement.",
        groups="base.group_user",
    )

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for category in self:
            if category.parent_id:
                category.complete_name = f"{category.parent_id.complete_name} / {category.name}"
            else:
                category.complete_name = category.name

    @api.constrains("parent_id")
    def _check_category_recursion(self):
        if self._has_cycle():
            raise ValidationError(self.env._("A category cannot be its own parent."))

    def _get_reply_template(self):
        """The category's template, else its nearest parent's, else the default acknowledgement."""
        self.ensure_one()
        category = self
        while category:
            if category.mail_template_id:
                return category.mail_template_id
            category = category.parent_id
        return self.env.ref("crm_complaints.mail_template_complaint_acknowledgement", raise_if_not_found=False)
