"""Privacy (issue 17): the consent history starts from the former opt-out box, and campaigns get a purpose.

- A contact whose "No care or marketing messages" box is ticked had withdrawn every channel: one `withdrawn`
  history line per channel (source staff, dated now, noted) and its current consents set to withdrawn.
- A campaign whose steps all ignored contact pressure was, by the former rule ("turn it off for service
  messages"), a service campaign: its purpose becomes service; the others stay marketing (the default).
Both are set-based and idempotent (a contact with a history line, a campaign already service, is left alone).
"""

from odoo.tools import SQL


def migrate(cr, version):
    cr.execute(
        SQL(
            """INSERT INTO crm_consent (partner_id, channel, state, date, source, note, create_uid, create_date,
                                        write_uid, write_date)
               SELECT p.id, ch.channel, 'withdrawn', NOW() AT TIME ZONE 'UTC', 'staff', %(note)s, 1,
                      NOW() AT TIME ZONE 'UTC', 1, NOW() AT TIME ZONE 'UTC'
                 FROM res_partner p
                CROSS JOIN (VALUES ('email'), ('sms'), ('phone')) AS ch(channel)
                WHERE p.care_opt_out
                  AND NOT EXISTS (SELECT 1 FROM crm_consent c WHERE c.partner_id = p.id)""",
            note="Opt-out box ticked before the consent history existed",
        )
    )
    cr.execute(
        """UPDATE res_partner
              SET consent_email = 'withdrawn', consent_sms = 'withdrawn', consent_phone = 'withdrawn'
            WHERE care_opt_out
              AND (consent_email, consent_sms, consent_phone)
                  IS DISTINCT FROM ('withdrawn', 'withdrawn', 'withdrawn')"""
    )
    cr.execute(
        """UPDATE crm_care_campaign c SET purpose = 'service'
            WHERE c.purpose = 'marketing'
              AND EXISTS (SELECT 1 FROM crm_care_step s WHERE s.campaign_id = c.id)
              AND NOT EXISTS (SELECT 1 FROM crm_care_step s WHERE s.campaign_id = c.id AND s.respect_pressure)"""
    )
