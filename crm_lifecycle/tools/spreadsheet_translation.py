"""Translates the texts of a spreadsheet dashboard's data (the JSON of ``data/files/*_dashboard.json``) into
the reader's language, on the server, before the Dashboards app gets it.

Odoo's exporter (``odoo.tools.translate.extract_spreadsheet_terms``) gives the translators a dashboard file's
``_t("…")`` formula arguments, link labels, chart titles, axis titles, scorecard descriptions and global
filter labels, as ``odoo-javascript`` terms of the addon; the web client translates the ``_t`` cells and chart
titles with them, but shows the name of a pivot (the top-left cell of ``=PIVOT(n)``), a list's name and a
measure's own name (``userDefinedName``) as they are stored. `translate_spreadsheet` translates all of these
places with one function, so what the client receives is already in the reader's language; a pivot or list
name is translated when the same text is also one of the file's exported terms (e.g. the ``_t`` title cell
above the table).
"""

import re

# `_t("text")` in a formula; the text as Odoo's extractor reads it (between the quotes, escapes kept)
_T_CALL = re.compile(r'(?<![\w.])_t\(\s*"((?:[^"\\]|\\.)*)"\s*\)')
_MARKDOWN_LINK = re.compile(r"\[(.+)\]\((.+)\)")


def _formula_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _translate_cell(content, translate):
    if content.startswith("="):
        return _T_CALL.sub(lambda match: f"_t({_formula_string(translate(match[1]))})", content)
    link = _MARKDOWN_LINK.fullmatch(content)
    if link:
        return f"[{translate(link[1])}]({link[2]})"
    return content


def _translate_text_holder(holder, key, translate):
    """Translates `holder[key]`, a text or a {"text": …} dict (chart titles of either form)."""
    value = holder.get(key)
    if isinstance(value, str) and value:
        holder[key] = translate(value)
    elif isinstance(value, dict) and value.get("text"):
        value["text"] = translate(value["text"])


def translate_spreadsheet(data, translate):
    """Translates in place the visible texts of spreadsheet `data` (a dict, as in the JSON file) with
    `translate` (a function text -> text, returning the text itself when it has no translation).

    Texts: `_t("…")` arguments of formulas and markdown link labels of cells, chart titles, axis titles,
    scorecard key and baseline descriptions, global filter labels, pivot names, pivot measures' own names,
    list names. Returns `data`."""
    for sheet in data.get("sheets", []):
        cells = sheet.get("cells", {})
        for ref, cell in cells.items():
            # a cell is a text since saas-18.1, an object {"content": …} before
            if isinstance(cell, str):
                cells[ref] = _translate_cell(cell, translate)
            elif isinstance(cell, dict) and isinstance(cell.get("content"), str):
                cell["content"] = _translate_cell(cell["content"], translate)
        for figure in sheet.get("figures", []):
            if figure.get("tag") != "chart":
                continue
            chart = figure["data"]
            _translate_text_holder(chart, "title", translate)
            for axis in (chart.get("axesDesign") or {}).values():
                _translate_text_holder(axis, "title", translate)
            _translate_text_holder(chart, "baselineDescr", translate)
            _translate_text_holder(chart, "keyDescr", translate)
    for global_filter in data.get("globalFilters", []):
        _translate_text_holder(global_filter, "label", translate)
    for pivot in data.get("pivots", {}).values():
        _translate_text_holder(pivot, "name", translate)
        for measure in pivot.get("measures", []):
            _translate_text_holder(measure, "userDefinedName", translate)
    for spreadsheet_list in data.get("lists", {}).values():
        _translate_text_holder(spreadsheet_list, "name", translate)
    return data
