from odoo.exceptions import AccessError, UserError
from odoo.http import Controller, content_disposition, request, route

from odoo.addons.portal.controllers.portal import CustomerPortal


def _file_response(filename, mimetype, content):
    return request.make_response(
        content,
        headers=[
            ("Content-Type", mimetype),
            ("Content-Length", len(content)),
            ("Content-Disposition", content_disposition(filename)),
            ("Cache-Control", "no-store"),
        ],
    )


class CrmCarePrivacyPortal(CustomerPortal):
    """ "My personal data" on My Account: the logged-in person downloads what CRM Care holds on them.

    Only the logged-in user's own partner: no URL parameter names a person, so nobody reaches another
    person's file here.
    """

    @route("/my/personal_data", type="http", auth="user", website=True)
    def portal_my_personal_data(self, **kw):
        values = self._prepare_portal_layout_values()
        values["page_name"] = "personal_data"
        return request.render("crm_lifecycle.portal_my_personal_data", values)

    @route("/my/personal_data/download", type="http", auth="user", website=True)
    def portal_my_personal_data_download(self, file_format="json", **kw):
        partner = request.env.user.partner_id
        try:
            filename, mimetype, content = partner._crm_privacy_export(file_format=file_format, channel="portal")
        except UserError as error:
            return request.not_found(str(error))
        return _file_response(filename, mimetype, content)


class CrmCarePrivacy(Controller):
    @route("/crm_care/privacy/export/<int:partner_id>", type="http", auth="user")
    def crm_care_privacy_export(self, partner_id, file_format="json", **kw):
        """Export personal data (back office): Customer Care managers only, any person they can read."""
        partner = request.env["res.partner"].browse(partner_id).exists()
        try:
            partner._check_crm_privacy_manager()
            partner.check_access("read")
            filename, mimetype, content = partner._crm_privacy_export(file_format=file_format, channel="staff")
        except (AccessError, UserError, ValueError):
            return request.not_found()
        return _file_response(filename, mimetype, content)
