from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .crm_complaint import SEVERITIES

# Which criteria make a policy more specific, heaviest first. A policy matches a complaint when every
# criterion it sets agrees with the complaint; among the matching ones the most specific wins:
#   1. customer segment (e.g. VIP: a VIP's SLA applies whatever else),
#   2. category (a policy on a parent category also covers its subcategories),
#   3. severity,
#   4. team.
# Specificity is compared as a binary number (segment = 8, category = 4, severity = 2, team = 1), so a
# policy for a segment beats one for category + severity + team. Ties go to the lower sequence, then to
# the older policy. Two active policies with the same criteria (same segment, severity and team, and
# sharing a category or both without one) are refused: one would never apply.
SPECIFICITY = {"segment_id": 8, "category_ids": 4, "severity": 2, "team_id": 1}


class CrmComplaintSla(models.Model):
    _name = "crm.complaint.sla"
    _description = "Complaint SLA Policy"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, help="Breaks ties between matching policies of equal specificity.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    team_id = fields.Many2one("crm.complaint.team", ondelete="cascade", check_company=True)
    category_ids = fields.Many2many(
        "crm.complaint.category",
        string="Categories",
        check_company=True,
        help="Also covers their subcategories. Empty: any.",
    )
    severity = fields.Selection(SEVERITIES, help="Empty: any severity.")
    segment_id = fields.Many2one(
        "crm.segment",
        string="Customer Segment",
        check_company=True,
        help="Applies to current members of this segment. Empty: anyone.",
    )
    response_hours = fields.Float(
        required=True, default=8.0, help="Working hours from creation to the first answer to the customer."
    )
    resolve_hours = fields.Float(required=True, default=40.0, help="Working hours from creation to resolution.")
    specificity = fields.Integer(compute="_compute_specificity", store=True)
    description = fields.Text(translate=True)

    @api.depends("segment_id", "category_ids", "severity", "team_id")
    def _compute_specificity(self):
        for policy in self:
            policy.specificity = sum(weight for field, weight in SPECIFICITY.items() if policy[field])

    @api.constrains("response_hours", "resolve_hours")
    def _check_hours(self):
        for policy in self:
            if policy.response_hours <= 0 or policy.resolve_hours <= 0:
                raise ValidationError(
                    self.env._(
                        "SLA policy %(policy)s needs more than zero hours to respond and to resolve.",
                        policy=policy.name,
                    )
                )
            if policy.response_hours > policy.resolve_hours:
                raise ValidationError(
                    self.env._("SLA policy %(policy)s gives more time to respond than to resolve.", policy=policy.name)
                )

    @api.constrains("segment_id", "category_ids", "severity", "team_id", "company_id", "active")
    def _check_overlap(self):
        for policy in self.filtered("active"):
            twins = self.search(
                [
                    ("id", "!=", policy.id),
                    ("segment_id", "=", policy.segment_id.id),
                    ("severity", "=", policy.severity),
                    ("team_id", "=", policy.team_id.id),
                    ("company_id", "=", policy.company_id.id),
                ]
            )
            for twin in twins:
                if (not twin.category_ids and not policy.category_ids) or (twin.category_ids & policy.category_ids):
                    raise ValidationError(
                        self.env._(
                            "SLA policies %(policy)s and %(other)s have the same conditions: only one of them "
                            "would ever apply. Change the team, categories, severity or segment of one of them.",
                            policy=policy.name,
                            other=twin.name,
                        )
                    )

    def _matches(self, complaint, category_ids, segment_ids):
        """Whether this policy applies to `complaint` (its categories with ancestors, its customer's segments)."""
        self.ensure_one()
        return (
            (not self.team_id or self.team_id == complaint.team_id)
            and (not self.severity or self.severity == complaint.severity)
            and (not self.segment_id or self.segment_id.id in segment_ids)
            and (not self.category_ids or bool(set(self.category_ids.ids) & category_ids))
            and (not self.company_id or self.company_id == complaint.company_id)
        )

    def write(self, vals):
        """The hours of a policy that complaints use cannot change: their deadlines were planned on them and
        their response and resolution are judged on them (a complaint resumed later would be planned on the
        new hours, the others not). Retire it (archive) and create its successor instead."""
        changed = self.filtered(
            lambda policy: any(
                name in vals and policy[name] != vals[name] for name in ("response_hours", "resolve_hours")
            )
        )
        # sudo: every complaint counts, whoever edits the policy; archived complaints too
        if changed and self.env["crm.complaint"].sudo().with_context(active_test=False).search_count(
            [("sla_policy_id", "in", changed.ids)], limit=1
        ):
            raise UserError(
                self.env._(
                    "Complaints were promised the hours of SLA policy %(policy)s: archive it and create a new "
                    "policy with the new hours (open complaints keep what they were promised).",
                    policy=changed[0].name,
                )
            )
        return super().write(vals)

    @api.model
    def _get_policies(self, complaints):
        """{complaint: winning policy (or an empty recordset)}, in a constant number of queries."""
        policies = self.search([("active", "=", True)], order="specificity desc, sequence, id")
        partners = complaints.partner_id.commercial_partner_id | complaints.partner_id
        segments_by_partner = {}
        if policies.segment_id and partners:
            members = (
                self.env["crm.segment.member"]
                .sudo()
                .search_fetch(
                    [
                        ("partner_id", "in", partners.ids),
                        ("segment_id", "in", policies.segment_id.ids),
                        ("date_left", "=", False),
                    ],
                    ["partner_id", "segment_id"],
                )
            )
            for member in members:
                segments_by_partner.setdefault(member.partner_id.id, set()).add(member.segment_id.id)
        result = {}
        for complaint in complaints:
            category_ids = {int(cid) for cid in (complaint.category_id.parent_path or "").split("/") if cid}
            segment_ids = segments_by_partner.get(complaint.partner_id.id, set()) | segments_by_partner.get(
                complaint.partner_id.commercial_partner_id.id, set()
            )
            result[complaint] = next(
                (policy for policy in policies if policy._matches(complaint, category_ids, segment_ids)),
                self.browse(),
            )
        return result
