from odoo import models
from odoo.tools import SQL


class CrmChurnReport(models.Model):
    _inherit = "crm.churn.report"
    _depends = {"crm.complaint": ["commercial_partner_id", "create_date"]}

    def _get_complained_before_sql(self, history, tz, days):
        """A complaint of the customer (commercial entity) received (created) in the `days` days ending on the day
        of churn (that day and the days - 1 before it), days of the company's Business Time Zone `tz`."""
        return SQL(
            """EXISTS (
                   SELECT 1 FROM crm_complaint cc
                    WHERE cc.commercial_partner_id = %(partner)s
                      AND (cc.create_date AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date
                          BETWEEN %(date)s - %(window)s AND %(date)s)""",
            partner=SQL.identifier(history, "partner_id"),
            date=SQL.identifier(history, "date"),
            tz=tz,
            window=days - 1,
        )
