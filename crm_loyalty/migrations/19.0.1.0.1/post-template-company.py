"""Membership emails are rendered in the membership's company: `env.company` (set by the sender to the tier
move's company) replaces `user.company_id` (the running user's) in the templates shipped by CRM Care, in
every language of their body (the XML update rewrites the English text only)."""

from odoo.tools import SQL

TEMPLATES = ("mail_template_loyalty_upgrade", "mail_template_loyalty_downgrade")
OLD = "(object.company_id or user.company_id)"
NEW = "(object.company_id or env.company)"


def migrate(cr, version):
    cr.execute(
        SQL(
            """UPDATE mail_template t
                  SET body_html = replace(t.body_html::text, %(old)s, %(new)s)::jsonb,
                      email_from = replace(t.email_from, %(old)s, %(new)s)
                 FROM ir_model_data d
                WHERE d.model = 'mail.template' AND d.res_id = t.id AND d.module = 'crm_loyalty'
                  AND d.name IN %(names)s""",
            old=OLD,
            new=NEW,
            names=TEMPLATES,
        )
    )
