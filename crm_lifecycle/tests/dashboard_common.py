"""Reads the figures of a CRM Care spreadsheet dashboard (its pivots and Odoo charts) and computes them as the
Dashboards app does (the grouped read of the figure's model, domain, group-bys and measures, as the user), to
compare them with the analysis views they stand for, opened from their menu as the same user."""

import io
import json
import logging
import re

import polib

from odoo import Command
from odoo.tools import file_open, file_path
from odoo.tools.safe_eval import safe_eval
from odoo.tools.translate import code_translations, extract_formula_terms, extract_spreadsheet_terms

from .readme_views import ReadmeViewMixin

_logger = logging.getLogger(__name__)


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


class DashboardLanguageMixin:
    """For HttpCase tests: `_assert_dashboard_served_in_user_language(xmlid, path)` opens a shipped dashboard the
    way the Dashboards app does (GET /spreadsheet/dashboard/data/<id>, as a Customer Care user) for a Chinese and
    an English user, and checks that every text the dashboard shows is in the user's language."""

    ADDONS = ("crm_lifecycle", "crm_loyalty", "crm_complaints")

    def _dashboard_reader(self, lang):
        self.env["res.lang"]._activate_lang(lang)
        login = f"dashboard_reader_{lang.lower()}"
        return self.env["res.users"].create(
            {
                "name": f"Dashboard Reader {lang}",
                "login": login,
                "password": login,
                "lang": lang,
                "group_ids": [Command.set([self.env.ref("crm_lifecycle.group_crm_care_user").id])],
            }
        )

    def _served_snapshot(self, xmlid, user):
        """The spreadsheet the Dashboards app receives for `user` (HTTP, as the web client loads it)."""
        self.authenticate(user.login, user.login)
        response = self.url_open(f"/spreadsheet/dashboard/data/{self.env.ref(xmlid).id}")
        self.assertEqual(response.status_code, 200)
        return response.json()["snapshot"]

    @staticmethod
    def _shown_texts(data):
        """{place: text} of the texts a dashboard shows: `_t` arguments and link labels of cells, chart titles (and
        axis titles, scorecard descriptions), global filter labels, pivot names (the top-left cell of each pivot
        table), pivot measures' own names, list names."""
        texts = {}
        for sheet in data["sheets"]:
            for ref, cell in sheet["cells"].items():
                content = cell if isinstance(cell, str) else cell.get("content", "")
                link = re.fullmatch(r"\[(.+)\]\(.+\)", content)
                found = list(extract_formula_terms(content)) if content.startswith("=") else [link[1]] if link else []
                texts.update({(sheet["name"], ref, index): text for index, text in enumerate(found)})
            for figure in sheet["figures"]:
                chart = figure["data"]
                if figure["tag"] != "chart":
                    continue
                title = chart.get("title")
                texts[(figure["id"], "title")] = title if isinstance(title, str) else (title or {}).get("text")
                for axis, design in (chart.get("axesDesign") or {}).items():
                    texts[(figure["id"], axis)] = design.get("title", {}).get("text")
                for key in ("baselineDescr", "keyDescr"):
                    texts[(figure["id"], key)] = (chart.get(key) or {}).get("text")
        for index, global_filter in enumerate(data.get("globalFilters", [])):
            texts[("filter", index)] = global_filter["label"]
        for pivot_id, pivot in data.get("pivots", {}).items():
            texts[("pivot", pivot_id)] = pivot["name"]
            for measure in pivot["measures"]:
                texts[("pivot", pivot_id, measure["id"])] = measure.get("userDefinedName")
        for list_id, spreadsheet_list in data.get("lists", {}).items():
            texts[("list", list_id)] = spreadsheet_list["name"]
        return {place: text for place, text in texts.items() if text}

    def _assert_dashboard_served_in_user_language(self, xmlid, path, lang="zh_CN"):
        """The dashboard `xmlid` (file `path`) shows every text in `lang` to a `lang` user, with no English text
        left, and in English to an English user; each text is one Odoo's exporter gives the translators
        (setup/i18n keeps its translation), and the pivot and chart headers (field labels, selection values)
        come translated from the fields."""
        module = xmlid.split(".")[0]
        with file_open(path, "rb") as file:
            source = json.load(file)
            file.seek(0)
            exported = {term for __, __, term, __ in extract_spreadsheet_terms(file, [], [], {})}
        english = self._shown_texts(source)
        self.assertTrue(english)
        self.assertEqual(set(english.values()) - exported, set(), "texts Odoo's exporter does not give translators")
        web = {
            message["id"]: message["string"]
            for message in code_translations.get_web_translations(module, lang)["messages"]
        }
        self.assertEqual({text for text in english.values() if not web.get(text)}, set(), "texts without translation")
        self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms(list(self.ADDONS), [lang], overwrite=True)
        reader, english_reader = self._dashboard_reader(lang), self._dashboard_reader("en_US")

        served = self._served_snapshot(xmlid, reader)
        self.assertEqual(self._shown_texts(served), {place: web[text] for place, text in english.items()})
        with io.BytesIO(json.dumps(served).encode()) as file:
            leftover = {term for __, __, term, __ in extract_spreadsheet_terms(file, [], [], {})} & exported
        self.assertEqual(leftover, set(), f"English texts left for a {lang} user")
        self.assertEqual(self._shown_texts(self._served_snapshot(xmlid, english_reader)), english)
        self._assert_headers_translated(source, reader, english_reader)

    def _kept_texts(self, lang):
        """Texts whose `lang` translation is the text itself (acronyms such as NPS): `lang` readers read them so."""
        return {
            entry.msgid
            for addon in self.ADDONS
            for entry in polib.pofile(file_path(f"{addon}/i18n/{lang}.po"))
            if entry.msgstr == entry.msgid
        }

    def _assert_headers_translated(self, data, reader, english_reader):
        """The headers the pivots and Odoo charts of `data` show come from the fields, in the reader's language:
        the measures' and group-bys' labels, the group-bys' selection values and the names of the group-bys'
        records that CRM Care ships; no boolean group-by (the charts show a boolean group as `true`/`false`)."""
        fields_by_model, untranslated = {}, []
        # texts whose translation is the text itself (acronyms such as NPS): Chinese readers read them so
        kept = self._kept_texts(reader.lang)
        for pivot in data.get("pivots", {}).values():
            dimensions = pivot["rows"] + pivot["columns"] + pivot["measures"]
            fields_by_model.setdefault(pivot["model"], set()).update(dim["fieldName"] for dim in dimensions)
        for sheet in data["sheets"]:
            for figure in sheet["figures"]:
                meta = figure["data"].get("metaData")
                if figure["tag"] == "chart" and meta:
                    names = [meta["measure"]] + [name.split(":")[0] for name in meta["groupBy"]]
                    fields_by_model.setdefault(meta["resModel"], set()).update(names)
                    for name in meta["groupBy"]:
                        if self.env[meta["resModel"]]._fields[name.split(":")[0]].type == "boolean":
                            untranslated.append(f"{figure['id']}: groups by a boolean, shown as true/false")
        for model, names in fields_by_model.items():
            names = sorted(names - {"__count"})
            as_reader = self.env[model].with_user(reader).with_context(lang=reader.lang)
            as_english_reader = self.env[model].with_user(english_reader).with_context(lang=english_reader.lang)
            shown = as_reader.fields_get(names, ["string", "selection", "type", "relation"])
            english = as_english_reader.fields_get(names, ["string", "selection"])
            for name in names:
                if shown[name]["string"] == english[name]["string"] not in kept:
                    untranslated.append(f"{model}.{name} label {english[name]['string']!r}")
                selections = zip(shown[name].get("selection") or [], english[name].get("selection") or [], strict=True)
                untranslated += [
                    f"{model}.{name} value {english_label!r}"
                    for (__, label), (__, english_label) in selections
                    if label == english_label not in kept
                ]
                if shown[name]["type"] == "many2one":
                    shipped = self.env["ir.model.data"].search(
                        [("model", "=", shown[name]["relation"]), ("module", "in", self.ADDONS)]
                    )
                    records = self.env[shown[name]["relation"]].browse(shipped.mapped("res_id")).exists()
                    untranslated += [
                        f"{record} name {record.display_name!r}"
                        for record in records
                        if record.with_context(lang=reader.lang).display_name
                        == record.with_context(lang=english_reader.lang).display_name
                        not in kept
                    ]
        self.assertFalse(untranslated, "headers shown in English:\n" + "\n".join(untranslated))

    def _assert_dashboards_shown_in_browser(self, lang="zh_CN"):
        """A `lang` Customer Care user opens Customer Care and each dashboard of its group in the browser
        (static/tests/tours/crm_care_dashboard_texts_tour.js): the first sheet of each of CRM Care's dashboards
        shows the `lang` texts of its titles and pivot names, and none of its English texts (titles, pivot
        names, the labels of its pivots' fields)."""
        self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms(list(self.ADDONS), [lang], overwrite=True)
        reader = self._dashboard_reader(lang)
        with self.assertLogs(self._logger.getChild("browser").name, logging.INFO) as logs:
            self.start_tour("/odoo", "crm_care_dashboard_texts_tour", login=reader.login)
        shown, opened = {}, set()
        for line in logs.output:
            if match := re.search(r"crm_care_dashboard_texts: (\d+) \d+,\d+ = (\".*\")$", line):
                shown.setdefault(int(match[1]), set()).add(json.loads(match[2]))
            elif match := re.search(r"crm_care_dashboard_texts: opened (\d+)", line):
                opened.add(int(match[1]))
        group = self.env.ref("crm_lifecycle.crm_care_dashboard_group")
        dashboards = self.env["spreadsheet.dashboard"].search([("dashboard_group_id", "=", group.id)])
        self.assertEqual(opened, set(dashboards.ids), "every dashboard of the group opened")
        for dashboard in dashboards:
            module = dashboard._get_dashboard_translation_namespace()
            data = json.loads(dashboard.spreadsheet_data)
            web = {
                message["id"]: message["string"]
                for message in code_translations.get_web_translations(module, lang)["messages"]
            }
            first = data["sheets"][0]["name"]
            english = {
                text
                for place, text in self._shown_texts(data).items()
                if place[0] == first or (place[0] == "pivot" and len(place) == 2)
            }
            labels = {
                self.env[pivot["model"]]._fields[measure["fieldName"]].string
                for pivot in data["pivots"].values()
                for measure in pivot["measures"]
                if measure["fieldName"] != "__count"
            }
            texts = shown.get(dashboard.id, set())
            _logger.info("%s shows %s", dashboard.name, sorted(texts))
            self.assertLessEqual({web[text] for text in english}, texts, f"{dashboard.name}: {lang} texts shown")
            leftover = texts & (english | labels) - self._kept_texts(lang)
            self.assertEqual(leftover, set(), f"{dashboard.name}: English texts shown")
