from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import plaintext2html

from odoo.addons.portal.controllers import portal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.crm_complaint_stage import DONE_STATES, OPEN_STATES
from ..tools.complaint_attachment import ALLOWED_MIMETYPES, check_attachments, get_max_size_mb


class CustomerPortal(portal.CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "complaint_count" in counters:
            Complaint = request.env["crm.complaint"]
            values["complaint_count"] = Complaint.search_count([]) if Complaint.has_access("read") else 0
        return values

    def _complaint_searchbar_filters(self):
        return {
            "all": {"label": request.env._("All"), "domain": []},
            "open": {"label": request.env._("Open"), "domain": [("state", "in", OPEN_STATES)]},
            "resolved": {"label": request.env._("Resolved"), "domain": [("state", "in", DONE_STATES)]},
        }

    @http.route(["/my/complaints", "/my/complaints/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_complaints(self, page=1, filterby="all", **kw):
        values = self._prepare_portal_layout_values()
        Complaint = request.env["crm.complaint"]
        filters = self._complaint_searchbar_filters()
        filterby = filterby if filterby in filters else "all"
        domain = filters[filterby]["domain"]  # the portal record rule restricts to the user's own
        pager = portal_pager(
            url="/my/complaints",
            url_args={"filterby": filterby},
            total=Complaint.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        complaints = Complaint.search(domain, limit=self._items_per_page, offset=pager["offset"], order="id desc")
        request.session["my_complaints_history"] = complaints.ids[:100]
        values.update(
            {
                "complaints": complaints,
                "page_name": "complaint",
                "pager": pager,
                "default_url": "/my/complaints",
                "searchbar_filters": filters,
                "filterby": filterby,
            }
        )
        return request.render("crm_complaints.portal_my_complaints", values)

    @http.route(["/my/complaints/<int:complaint_id>"], type="http", auth="public", website=True)
    def portal_my_complaint(self, complaint_id, access_token=None, **kw):
        try:
            complaint_sudo = self._document_check_access("crm.complaint", complaint_id, access_token=access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._get_page_view_values(
            complaint_sudo,
            access_token,
            {"complaint": complaint_sudo, "page_name": "complaint"},
            "my_complaints_history",
            False,
            **kw,
        )
        if complaint_sudo.state in ("resolved", "closed") and complaint_sudo.partner_id:
            # the customer's own rating token: the smileys link to Odoo's /rate/<token>/<score> pages
            values["rating_token"] = complaint_sudo._rating_get_access_token()
            values["rated"] = complaint_sudo.rating_ids.filtered(lambda rating: rating.consumed)[:1]
        return request.render("crm_complaints.portal_my_complaint", values)

    def _complaint_order_domain(self):
        """The orders the customer may complain about: their commercial entity's confirmed orders (sale's portal
        and company rules already limit what the user can read)."""
        return [("partner_id", "child_of", request.env.user.commercial_partner_id.id), ("state", "=", "sale")]

    def _complaint_category_domain(self, companies):
        """The categories the customer may pick: active, shared or of one of `companies`."""
        return [("company_id", "in", [*companies.ids, False])]

    def _complaint_form_values(self, error=None, data=None):
        return {
            "page_name": "complaint_new",
            "orders": request.env["sale.order"].search(
                self._complaint_order_domain(), order="date_order desc", limit=100
            ),
            # sudo: categories are configuration (portal users cannot read them), restricted by the domain
            "categories": request.env["crm.complaint.category"]
            .sudo()
            .search(self._complaint_category_domain(request.env.user.company_ids)),
            "error": error or {},
            "data": data or {},
            "attachment_help": request.env._(
                "Photos (JPEG, PNG, GIF, WebP, BMP, HEIC) or PDF files, up to %(size)s MB each.",
                size=get_max_size_mb(request.env),
            ),
            "attachment_accept": ",".join(ALLOWED_MIMETYPES),
        }

    @http.route(["/my/complaints/new"], type="http", auth="user", website=True, methods=["GET"])
    def portal_complaint_new(self, **kw):
        values = self._prepare_portal_layout_values()
        values.update(self._complaint_form_values(data={"sale_order_id": kw.get("order_id")}))
        return request.render("crm_complaints.portal_complaint_new", values)

    def _complaint_pick(self, model, domain, value):
        """The record of `model` in `domain` whose id is the posted `value`, an empty recordset for no value,
        or None when the value is not one the customer may pick (another customer's order, another company's
        category, an archived one, not a number)."""
        if not value:
            return model.browse()
        try:
            record_id = int(value)
        except (TypeError, ValueError):
            return None
        if not 0 < record_id < 2**31:  # PostgreSQL's integer ids
            return None
        return model.search([*domain, ("id", "=", record_id)]) or None

    @http.route(["/my/complaints/submit"], type="http", auth="user", website=True, methods=["POST"])
    def portal_complaint_submit(self, subject="", description="", sale_order_id=None, category_id=None, **kw):
        """Create the customer's complaint from the portal form.

        Only the listed values are accepted: one of the customer's own confirmed orders, a category of the
        complaint's company or a shared one, files within the intake limits (see
        ``crm_complaints.tools.complaint_attachment``). Any other posted field (customer, company, team...) is
        ignored. On any error nothing is stored and the form comes back with the customer's input and a message.
        """
        env = request.env
        error = {}
        subject = (subject or "").strip()
        if not subject:
            error["subject"] = env._("Tell us in a few words what went wrong.")
        order = self._complaint_pick(env["sale.order"], self._complaint_order_domain(), sale_order_id)
        if order is None:
            error["sale_order_id"] = env._("Choose one of your own orders.")
            order = env["sale.order"]
        # sudo: categories are configuration; the domain limits them to the order's company (else the
        # customer's companies) and shared ones
        category = self._complaint_pick(
            env["crm.complaint.category"].sudo(),
            self._complaint_category_domain(order.company_id or env.user.company_ids),
            category_id,
        )
        if category is None:
            error["category_id"] = env._("Choose one of the subjects in the list.")
            category = env["crm.complaint.category"]
        company = order.company_id or category.company_id or env.company
        files = [(upload.filename, upload.read()) for upload in request.httprequest.files.getlist("attachments")]
        attachments, attachment_error = check_attachments(env, files)
        if attachment_error:
            error["attachments"] = attachment_error
        if error:
            values = self._prepare_portal_layout_values()
            values.update(
                self._complaint_form_values(
                    error=error,
                    data={
                        "subject": subject,
                        "description": description,
                        "sale_order_id": sale_order_id,
                        "category_id": category_id,
                    },
                )
            )
            return request.render("crm_complaints.portal_complaint_new", values)
        partner = env.user.partner_id
        # sudo: portal users cannot create complaints directly; the values are checked above and the
        # customer is forced to the logged-in user.
        complaint = (
            env["crm.complaint"]
            .sudo()
            .with_context(default_user_id=False)
            .create(
                {
                    "subject": subject,
                    "description": plaintext2html(description) if description else False,
                    "partner_id": partner.id,
                    "email_from": partner.email,
                    "phone": partner.phone,
                    "channel": "portal",
                    "sale_order_id": order.id,
                    "product_id": order.order_line.product_id[:1].id,
                    "category_id": category.id,
                    "company_id": company.id,
                    "user_id": False,
                }
            )
        )
        complaint.message_subscribe(partner_ids=partner.ids)
        if attachments:
            # The files, checked above, in the conversation as the customer's own message: stored on the
            # complaint (res_model/res_id) and shown in the portal and back-end chatter.
            complaint.message_post(
                body=env._("Files sent with the complaint"),
                attachments=attachments,
                author_id=partner.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return request.redirect(f"/my/complaints/{complaint.id}")
