"""Reads the figures of a CRM Care spreadsheet dashboard (its pivots and Odoo charts) and computes them as the
Dashboards app does (the grouped read of the figure's model, domain, group-bys and measures, as the user), to
compare them with the analysis views they stand for, opened from their menu as the same user."""

import json

from odoo.tools import file_open
from odoo.tools.safe_eval import safe_eval
from odoo.tools.translate import code_translations, extract_spreadsheet_terms

from .readme_views import ReadmeViewMixin


class DashboardFiguresMixin(ReadmeViewMixin):
    """For TransactionCase tests: `_figure(xmlid, title)` finds a pivot (by name) or an Odoo chart (by title)
    of a shipped dashboard; `_assert_figure_matches_analysis` compares its values with the analysis menu's."""

    def _dashboard_data(self, xmlid):
        return json.loads(self.env.ref(xmlid).spreadsheet_data)

    def _figure(self, xmlid, title):
        """The figure named `title`: {model, domain, groupby, measures, action} (group-bys as "field" or
        "field:granularity", measures as field names or "__count")."""
        data = self._dashboard_data(xmlid)
        for pivot in data.get("pivots", {}).values():
            if pivot["name"] == title:
                return {
                    "model": pivot["model"],
                    "domain": pivot["domain"],
                    "groupby": [
                        f"{dim['fieldName']}:{dim['granularity']}" if dim.get("granularity") else dim["fieldName"]
                        for dim in pivot["rows"] + pivot["columns"]
                    ],
                    "measures": [measure["fieldName"] for measure in pivot["measures"]],
                    "action": pivot.get("actionXmlId"),
                }
        for sheet in data["sheets"]:
            for figure in sheet["figures"]:
                chart = figure["data"]
                if figure["tag"] == "chart" and chart["type"].startswith("odoo_") and chart["title"]["text"] == title:
                    domain = chart["searchParams"]["domain"]
                    return {
                        "model": chart["metaData"]["resModel"],
                        "domain": safe_eval(domain) if isinstance(domain, str) else domain,
                        "groupby": chart["metaData"]["groupBy"],
                        "measures": [chart["metaData"]["measure"]],
                        "action": chart.get("actionXmlId"),
                    }
        return self.fail(f"no figure {title!r} in the dashboard {xmlid}")

    def _dashboard_grid(self, xmlid, title, user):
        """The figure's values as `user` sees them: {group values tuple: {"__count": n, measure: value}}."""
        figure = self._figure(xmlid, title)
        Model = self.env[figure["model"]].with_user(user)
        measures = [name for name in figure["measures"] if name != "__count"]
        aggregates = ["__count"] + [f"{name}:{Model._fields[name].aggregator or 'sum'}" for name in measures]
        result = {}
        for group in Model.formatted_read_group(figure["domain"], figure["groupby"], aggregates):
            key = tuple(self._group_key(group[name]) for name in figure["groupby"])
            result[key] = {name.split(":")[0]: group[name] for name in aggregates}
        return result

    def _assert_figure_matches_analysis(self, xmlid, title, menu_xmlid, groupby, measures, user, today):
        """The figure `title` reads the analysis of `menu_xmlid` (same model, same records: the action's domain and
        the filters it opens with), grouped by `groupby` with `measures` among its measures, and gives the values
        the analysis view gives `user`, not all empty.
        Returns the figure's grid."""
        figure = self._figure(xmlid, title)
        action = self._menu_action(menu_xmlid, user)
        self.assertEqual(figure["action"], action["xml_id"], f"{title}: opens its analysis view")
        self.assertEqual(figure["model"], action["res_model"], f"{title}: the analysis view's model")
        self.assertEqual(figure["groupby"], groupby, f"{title}: grouped as announced")
        self.assertLessEqual(set(measures), set(figure["measures"]) | {"__count"}, f"{title}: its measures")
        dashboard = self._dashboard_grid(xmlid, title, user)
        analysis = self._grid(
            action,
            user,
            today,
            groupby=groupby,
            measures=[m for m in measures if m != "__count"],
            extra_domain=self._default_filters_domain(action, user, today),
        )
        self.assertTrue(analysis, f"{title}: the test data shows something")
        self.assertEqual(
            {key: {name: values[name] for name in measures} for key, values in dashboard.items()},
            {key: {name: values[name] for name in measures} for key, values in analysis.items()},
            f"{title}: the dashboard's figures are the analysis view's",
        )
        return dashboard

    def _default_filters_domain(self, action, user, today):
        """The domain of the filters the analysis view opens with (the action's `search_default_<filter>` context
        keys naming a filter with a domain in its search view), as the web client applies them; our actions turn
        on at most one filter of a group, so they are and-ed."""
        context = self._eval(action.get("context") or "{}", today, user)
        filters = self._filters(action["res_model"], user, action.get("search_view_id") and action["search_view_id"][0])
        domain = []
        for key, value in context.items():
            name = key.removeprefix("search_default_")
            if key.startswith("search_default_") and value and filters.get(name):
                domain += self._eval(filters[name], today, user)
        return domain

    def _assert_dashboard_translated(self, xmlid, path, lang="zh_CN"):
        """Every text of the dashboard file `path` that Odoo's extractor gives the translators (titles, `_t`
        cells) has a web translation in the dashboard's module (the Dashboards app translates them in the
        browser with the module's terms), and the dashboard's name reads in `lang`."""
        module = xmlid.split(".")[0]
        with file_open(path, "rb") as file:
            terms = {term for __, __, term, __ in extract_spreadsheet_terms(file, [], [], {})}
        self.assertTrue(terms)
        web = {
            message["id"]: message["string"]
            for message in code_translations.get_web_translations(module, lang)["messages"]
        }
        self.assertEqual({term for term in terms if not web.get(term)}, set(), f"untranslated texts of {path}")
        self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms([module], [lang], overwrite=True)
        dashboard = self.env.ref(xmlid)
        self.assertNotEqual(dashboard.with_context(lang=lang).name, dashboard.with_context(lang="en_US").name)
