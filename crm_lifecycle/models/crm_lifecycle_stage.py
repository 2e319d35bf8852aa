from odoo import api, fields, models
from odoo.exceptions import UserError

SHIPPED_STAGE_CODES = ("prospect", "new", "active", "loyal", "at_risk", "churned", "won_back")


class CrmLifecycleStage(models.Model):
    _name = "crm.lifecycle.stage"
    _description = "Customer Lifecycle Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Technical key used by the lifecycle rules, campaigns and integrations.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(
        default=True,
        help="Only a stage of your own can be archived (the shipped ones carry the lifecycle rules): its customers "
        "are unlocked and placed by the rules at once (history reason Stage Retired).",
    )
    color = fields.Integer()
    description = fields.Text(translate=True)
    partner_count = fields.Integer(compute="_compute_partner_count", string="Customers")

    _code_unique = models.Constraint("UNIQUE(code)", "Each lifecycle stage needs its own code.")

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("lifecycle_stage_id", "in", self.ids), "|", ("is_company", "=", True), ("parent_id", "=", False)],
                ["lifecycle_stage_id"],
                ["__count"],
            )
        )
        for stage in self:
            stage.partner_count = counts.get(stage, 0)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_shipped_stage(self):
        if any(stage.code in SHIPPED_STAGE_CODES for stage in self):
            raise UserError(
                self.env._(
                    "The lifecycle stages shipped with Customer Care cannot be deleted: the lifecycle rules "
                    "rely on them. You can rename or recolour them instead."
                )
            )

    def write(self, vals):
        if "code" in vals and any(stage.code in SHIPPED_STAGE_CODES and stage.code != vals["code"] for stage in self):
            raise UserError(self.env._("The code of a shipped lifecycle stage cannot be changed."))
        retiring = self.browse()
        if "active" in vals and not vals["active"]:
            shipped = self.filtered(lambda stage: stage.code in SHIPPED_STAGE_CODES)
            if shipped:
                raise UserError(
                    self.env._(
                        "The lifecycle stage %s cannot be archived: the lifecycle rules place customers in it. "
                        "You can rename or recolour it instead.",
                        shipped[0].name,
                    )
                )
            retiring = self.filtered("active")
        result = super().write(vals)
        if retiring:
            retiring._release_customers()
        return result

    def _release_customers(self):
        """Customers in these retired stages (locked there by a manager: the rules never choose them) are
        unlocked and placed by the rules at once; the history line says Stage Retired."""
        # sudo: the manager retiring the stage releases every customer in it, whoever their salesperson is.
        partners = (
            self.env["res.partner"]
            .sudo()
            .search(
                [
                    ("lifecycle_stage_id", "in", self.ids),
                    "|",
                    ("is_company", "=", True),
                    ("parent_id", "=", False),
                ]
            )
        )
        if partners:
            partners.write({"lifecycle_locked": False, "lifecycle_lock_reason": False})
            partners._lifecycle_refresh(reason="stage_retired")

    @api.model
    def _get_stage_ids_by_code(self):
        return {stage.code: stage.id for stage in self.sudo().search([])}
