"""Care email templates (noupdate) are rendered in the campaign's company: `env.company`, set by the care job
to the campaign's company, replaces `user.company_id` (the running user's, the bot's main company) in the
sender of the templates shipped by CRM Care, unless someone edited it since."""

from odoo.tools import SQL

OLD = "{{ (object.company_id or user.company_id).email_formatted or user.email_formatted }}"
NEW = "{{ (object.company_id or env.company).email_formatted or user.email_formatted }}"
TEMPLATES = (
    "mail_template_care_birthday",
    "mail_template_care_thank_you",
    "mail_template_care_spring_festival",
    "mail_template_care_win_back",
)


def migrate(cr, version):
    cr.execute(
        SQL(
            """UPDATE mail_template t SET email_from = %(new)s
                 FROM ir_model_data d
                WHERE d.model = 'mail.template' AND d.res_id = t.id AND d.module = 'crm_lifecycle'
                  AND d.name IN %(names)s AND t.email_from = %(old)s""",
            new=NEW,
            old=OLD,
            names=TEMPLATES,
        )
    )
