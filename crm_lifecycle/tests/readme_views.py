"""What a user sees in a menu's views, read the way the web client reads it.

The README promises screens: "Customer Analysis (count and revenue by stage)", "filters for each stage". These
helpers open the menu's action as a given user, evaluate its domain, read the pivot/graph/kanban/search views
the user gets (`get_views`, group-filtered like in the browser) and ask the model for the grouped figures
with `formatted_read_group`, the call the pivot, graph and kanban views make. A test then checks the
figures against the data it created, so a broken view, action, filter or aggregate fails the test.
"""

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import safe_eval


class ReadmeViewMixin:
    """Mixin for TransactionCase subclasses (needs self.env)."""

    def _menu_action(self, menu_xmlid, user):
        """The window action of a menu as `user` gets it; fails when the user cannot see the menu."""
        menu = self.env.ref(menu_xmlid)
        visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
        self.assertIn(menu.id, visible, f"{user.login} sees the menu {menu.complete_name}")
        # As /web/action/load reads it: sudo, then the action's own groups.
        action = self.env["ir.actions.act_window"].sudo().browse(menu.action.id)
        self.assertFalse(action.group_ids - user.all_group_ids and not (action.group_ids & user.all_group_ids))
        return action.read()[0]

    def _eval(self, text, today, user):
        if not text:
            return {} if text is None else []
        if not isinstance(text, str):
            return text
        return safe_eval(
            text,
            {
                "uid": user.id,
                "user": user,
                "context_today": lambda: today,
                "relativedelta": relativedelta,
                "datetime": safe_datetime,
                "allowed_company_ids": user.company_ids.ids,
                "active_id": False,
            },
        )

    def _action_domain(self, action, today, user):
        return self._eval(action.get("domain") or "[]", today, user)

    def _view_arch(self, model, view_type, user, view_id=False):
        views = self.env[model].with_user(user).get_views([(view_id, view_type)])
        return etree.fromstring(views["views"][view_type]["arch"])

    def _action_view_id(self, action, view_type):
        for view_id, mode in action.get("views") or []:
            if mode == view_type:
                return view_id
        return False

    def _pivot_spec(self, arch):
        """(row groupbys, col groupbys, measures) of a pivot arch."""
        rows, cols, measures = [], [], []
        for field in arch.iter("field"):
            name = field.get("name")
            if field.get("interval"):
                name = f"{name}:{field.get('interval')}"
            kind = field.get("type")
            {"row": rows, "col": cols, "measure": measures}.get(kind, []).append(name)
        return rows, cols, measures

    def _grid(self, action, user, today, groupby=None, measures=None, extra_domain=()):
        """The pivot of the action as `user` sees it: {group values tuple: {"__count": n, measure: sum}}."""
        model = action["res_model"]
        arch = self._view_arch(model, "pivot", user, self._action_view_id(action, "pivot"))
        rows, cols, pivot_measures = self._pivot_spec(arch)
        groupby = groupby if groupby is not None else rows + cols
        measures = pivot_measures if measures is None else measures
        Model = self.env[model].with_user(user)
        aggregates = ["__count"] + [f"{name}:{Model._fields[name].aggregator or 'sum'}" for name in measures]
        domain = self._action_domain(action, today, user) + list(extra_domain)
        result = {}
        for group in Model.formatted_read_group(domain, groupby, aggregates):
            key = tuple(self._group_key(group[name]) for name in groupby)
            result[key] = {name.split(":")[0]: group[name] for name in aggregates}
        return result

    @staticmethod
    def _group_key(value):
        if isinstance(value, (tuple, list)) and value:
            return value[0]
        return value

    def _filters(self, model, user, view_id=False):
        """{filter name: domain string} of the search view `user` gets."""
        arch = self._view_arch(model, "search", user, view_id)
        return {f.get("name"): f.get("domain") for f in arch.iter("filter") if f.get("domain")}

    def _search_with_filter(self, action, filter_name, user, today):
        """Records the action shows with one filter of its search view on, as `user`."""
        model = action["res_model"]
        filters = self._filters(model, user, action.get("search_view_id") and action["search_view_id"][0])
        self.assertIn(filter_name, filters, f"the search view of {action['name']} has the filter {filter_name}")
        domain = self._action_domain(action, today, user) + self._eval(filters[filter_name], today, user)
        return self.env[model].with_user(user).search(domain)
