"""CSV as Danish Excel opens it with a double click: UTF-8 with a byte order mark, semicolons between fields
and a decimal comma, as the pages' downloads (goals/downloads.py) write it. For the tabular endpoints only:
`?format=csv` or `Accept: text/csv`.

The view says what the columns are (`csv_columns()`: header and how to read the cell from one result; or
`csv_table(results)`: the header and the rows as text, where speed counts), so the JSON and the CSV of one URL
hold the same rows in the same order.
"""

import csv
import io

import orjson
from django.utils.translation import gettext as _
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

from indicators.fileformat import format_number


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("ja") if value else _("nej")
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, list | tuple):
        return ", ".join(cell(v) for v in value)
    return str(value)


class DanishCSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        renderer_context = renderer_context or {}
        view = renderer_context.get("view")
        response = renderer_context.get("response")
        out = io.StringIO()
        out.write("\ufeff")
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        ok = response is None or response.status_code == 200
        if ok and isinstance(data, dict) and "results" in data and hasattr(view, "csv_table"):
            header, rows = view.csv_table(data["results"])
            writer.writerow(header)
            writer.writerows(rows)
        elif ok and isinstance(data, dict) and "results" in data and hasattr(view, "csv_columns"):
            columns = view.csv_columns()
            writer.writerow([header for header, _read in columns])
            for item in data["results"]:
                writer.writerow([cell(read(item)) for _header, read in columns])
        elif isinstance(data, dict):
            # An error (400, 404, 429): its message as a small table, so a spreadsheet shows why.
            writer.writerow([_("felt"), _("besked")])
            for key, value in data.items():
                writer.writerow([key, cell(value)])
        return out.getvalue().encode("utf-8")


class FastJSONRenderer(JSONRenderer):
    """DRF's compact UTF-8 JSON, written by orjson: the standard library's encoder took 35 ms of the 10,000
    observations' 2.3 MB (mostly writing floats), orjson 4 ms. What orjson does not know itself (lazy
    translations, Decimal, dates and times, which DRF writes its own way) goes through DRF's encoder, so the
    text is the same as before."""

    _fallback = JSONEncoder().default
    _options = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return orjson.dumps(data, default=self._fallback, option=self._options)
