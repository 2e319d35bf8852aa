from odoo import models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _message_route_process(self, message, message_dict, routes):
        """Tell complaints whether an incoming email was sent by a robot (its headers are only known here:
        the parsed message given to message_new / message_post does not keep them)."""
        if any(route[0] == "crm.complaint" for route in routes or ()):
            automated = self.env["crm.complaint"]._is_automated_email(message, message_dict)
            self = self.with_context(crm_complaint_automated_email=automated)  # noqa: PLW0642
        return super()._message_route_process(message, message_dict, routes)
