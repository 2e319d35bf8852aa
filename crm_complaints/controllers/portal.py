from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import plaintext2html

from odoo.addons.portal.controllers import portal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.crm_complaint_stage import DONE_STATES, OPEN_STATES


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

    def _complaint_form_values(self, error=None, data=None):
        partner = request.env.user.partner_id
        # the user's own orders: sale's portal rule already limits sale.order to them
        orders = request.env["sale.order"].search(
            [("partner_id", "child_of", partner.commercial_partner_id.id), ("state", "=", "sale")],
            order="date_order desc",
            limit=100,
        )
        categories = request.env["crm.complaint.category"].sudo().search([])  # configuration, no customer data
        return {
            "page_name": "complaint_new",
            "orders": orders,
            "categories": categories,
            "error": error or {},
            "data": data or {},
        }

    @http.route(["/my/complaints/new"], type="http", auth="user", website=True, methods=["GET"])
    def portal_complaint_new(self, **kw):
        values = self._prepare_portal_layout_values()
        values.update(self._complaint_form_values(data={"sale_order_id": kw.get("order_id")}))
        return request.render("crm_complaints.portal_complaint_new", values)

    @http.route(["/my/complaints/submit"], type="http", auth="user", website=True, methods=["POST"])
    def portal_complaint_submit(self, subject="", description="", sale_order_id=None, category_id=None, **kw):
        env = request.env
        error = {}
        subject = (subject or "").strip()
        if not subject:
            error["subject"] = env._("Tell us in a few words what went wrong.")
        order = env["sale.order"]
        if sale_order_id:
            try:
                order = env["sale.order"].browse(int(sale_order_id))
                order.check_access("read")  # only one of the user's own orders
                if not order.exists() or order.partner_id.commercial_partner_id != env.user.commercial_partner_id:
                    raise AccessError(env._("Not your order."))
            except (ValueError, AccessError, MissingError):
                error["sale_order_id"] = env._("Choose one of your own orders.")
                order = env["sale.order"]
        category = env["crm.complaint.category"]
        if category_id:
            try:
                category = env["crm.complaint.category"].sudo().browse(int(category_id)).exists()
            except ValueError:
                category = env["crm.complaint.category"]
        if error:
            values = self._prepare_portal_layout_values()
            values.update(
                self._complaint_form_values(
                    error=error,
                    data={"subject": subject, "description": description, "sale_order_id": sale_order_id},
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
                    "company_id": order.company_id.id or env.company.id,
                    "user_id": False,
                }
            )
        )
        complaint.message_subscribe(partner_ids=partner.ids)
        return request.redirect(f"/my/complaints/{complaint.id}")
