from odoo import api, fields, models
from odoo.tools import SQL


class ResPartner(models.Model):
    """The "Customer Care" summary of the partner form: the last and next care touch of the customer (the
    commercial entity and its contacts). crm_loyalty and crm_complaints add the tier and the open complaints."""

    _inherit = "res.partner"

    care_last_touch_id = fields.Many2one(
        "crm.care.touch",
        string="Last Care Touch",
        compute="_compute_care_touch_summary",
        groups="crm_lifecycle.group_crm_care_user",
        help="The latest care touch done (message, call, visit...) for this customer: its company and contacts.",
    )
    care_last_touch_date = fields.Datetime(
        string="Last Care Touch On",
        compute="_compute_care_touch_summary",
        groups="crm_lifecycle.group_crm_care_user",
        help="When the last care touch was done.",
    )
    care_last_touch_campaign_id = fields.Many2one(
        "crm.care.campaign",
        string="Last Care Campaign",
        compute="_compute_care_touch_summary",
        groups="crm_lifecycle.group_crm_care_user",
        help="The campaign of the last care touch.",
    )
    care_next_touch_id = fields.Many2one(
        "crm.care.touch",
        string="Next Care Touch",
        compute="_compute_care_touch_summary",
        groups="crm_lifecycle.group_crm_care_user",
        help="The next planned care touch of this customer (its company and contacts): the earliest planned day.",
    )
    care_next_touch_date = fields.Date(
        string="Next Care Touch On",
        compute="_compute_care_touch_summary",
        groups="crm_lifecycle.group_crm_care_user",
        help="The day the next care touch is planned for.",
    )
    care_next_touch_campaign_id = fields.Many2one(
        "crm.care.campaign",
        string="Next Care Campaign",
        compute="_compute_care_touch_summary",
        groups="crm_lifecycle.group_crm_care_user",
        help="The campaign of the next care touch.",
    )

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_care_touch_summary(self):
        self.care_last_touch_id = self.care_next_touch_id = False
        self.care_last_touch_date = self.care_next_touch_date = False
        self.care_last_touch_campaign_id = self.care_next_touch_campaign_id = False
        Touch = self.env["crm.care.touch"]
        entities = self.commercial_partner_id
        if not entities or not Touch.has_access("read"):
            return
        base = [("partner_id.commercial_partner_id", "in", entities.ids)]
        # The touches the user may read (record rules through _search), one row per customer: two queries.
        last = self._care_touch_per_entity(Touch._search([*base, ("state", "=", "done")]), SQL("t.date_done DESC"))
        upcoming = Touch._search([*base, ("state", "=", "planned")])
        following = self._care_touch_per_entity(upcoming, SQL("t.date_planned ASC"))
        for partner in self:
            entity = partner.commercial_partner_id.id
            done, planned = Touch.browse(last.get(entity)), Touch.browse(following.get(entity))
            partner.care_last_touch_id = done
            partner.care_last_touch_date = done.date_done
            partner.care_last_touch_campaign_id = done.campaign_id
            partner.care_next_touch_id = planned
            partner.care_next_touch_date = planned.date_planned
            partner.care_next_touch_campaign_id = planned.campaign_id

    def _care_touch_per_entity(self, query, order):
        """{commercial entity id: touch id}: the first touch of `query` (an access-checked Query on
        crm.care.touch) in `order` (SQL on alias t) for each commercial entity."""
        rows = self.env.execute_query(
            SQL(
                """SELECT DISTINCT ON (p.commercial_partner_id) p.commercial_partner_id, t.id
                     FROM crm_care_touch t
                     JOIN res_partner p ON p.id = t.partner_id
                    WHERE t.id IN %(touches)s
                 ORDER BY p.commercial_partner_id, %(order)s, t.id DESC""",
                touches=query.subselect(),
                order=order,
            )
        )
        return dict(rows)
