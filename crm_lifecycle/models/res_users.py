from odoo import api, models


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def _crm_care_get_assignee(self, company, *candidates):
        """The user CRM Care gives a piece of work to (an activity, an opportunity, an escalation, a to-do).

        The one assignment chain of CRM Care: the first of `candidates` (res.users records or empty
        recordsets, in the caller's order: the user named for the work, the salesperson, the campaign or
        complaint responsible, the team leader) who is still here, else the first Customer Care manager
        who is (lowest id, preferring managers whose default company is `company`). "Still here": active,
        internal (not portal/public) and allowed in `company` (res.company record; an empty one accepts
        any company).

        :return: one res.users record, or an empty recordset when nobody qualifies
        """

        def eligible(user):
            return user.active and not user.share and (not company or company in user.company_ids)

        # sudo: archived users and other companies' users must be readable to be ruled out.
        for user in self.sudo().browse([uid for users in candidates for uid in (users or self).ids]):
            if eligible(user):
                return self.browse(user.id)
        managers = (self.env.ref("crm_lifecycle.group_crm_care_manager").sudo().all_user_ids.filtered(eligible)).sorted(
            lambda user: (user.company_id != company, user.id)
        )
        return self.browse(managers[:1].id)

    def _crm_care_get_sales_team_leader(self):
        """Leader of this user's sales team (the latest membership, kept when the user is archived, since
        archiving a user archives their memberships). Empty recordset when none."""
        if not self:
            return self.browse()
        self.ensure_one()
        # sudo: the memberships of another (maybe archived) user.
        member = (
            self.env["crm.team.member"]
            .sudo()
            .with_context(active_test=False)
            .search([("user_id", "=", self.id)], order="active desc, id desc", limit=1)
        )
        return self.browse(member.crm_team_id.user_id.id)
