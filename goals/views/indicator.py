"""The indicator page (/indikatorer/<code>/): what the indicator is, the measures that follow it, every stored
value (filtered and paged, with a CSV download) and, for those who may see uploads, the values uploads replaced.

It lives in goals because it lists measures; the URL stays under /indikatorer/ (see goals/urls.py).
"""

from urllib.parse import urlencode

from django import forms
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from indicators.models import ALL, Observation
from indicators.permissions import can_upload

from .. import downloads, selectors
from ..selectors import reports as report_selectors


class IndicatorValuesForm(forms.Form):
    """The values table's filter (?omraade=&aar=&koen=&alder=&uddannelse=), kept in the URL."""

    omraade = forms.ChoiceField(label=_("Område"), required=False)
    aar = forms.TypedChoiceField(label=_("År"), required=False, coerce=int, empty_value=None)
    koen = forms.ChoiceField(label=_("Køn"), required=False)
    alder = forms.ChoiceField(label=_("Aldersgruppe"), required=False)
    uddannelse = forms.ChoiceField(label=_("Uddannelse"), required=False)

    def __init__(self, *args, areas, years, breakdowns, **kwargs):
        super().__init__(*args, **kwargs)
        # "No filter" and "the total" (the rows for everyone, stored as "alle") are different choices
        # and must not read alike.
        every = ("", _("Vis alle"))
        self.areas = {area.code: area for area in areas}
        self.fields["omraade"].choices = [every, *((a.code, a.name) for a in areas)]
        self.fields["aar"].choices = [every, *((str(y), str(y)) for y in reversed(years))]
        sexes = dict(Observation.Sex.choices)
        found = {field: sorted({b[i] for b in breakdowns}) for i, field in enumerate(("sex", "age", "edu"))}
        self.fields["koen"].choices = [
            every,
            *((s, _label(s) if s == ALL else sexes.get(s, s)) for s in found["sex"]),
        ]
        self.fields["alder"].choices = [every, *((a, _label(a, " år")) for a in found["age"])]
        self.fields["uddannelse"].choices = [every, *((e, _label(e)) for e in found["edu"])]

    def filters(self) -> dict:
        """Keyword arguments for selectors.indicator_values: nothing chosen (or an invalid choice) is no filter."""
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "area": self.areas.get(data["omraade"]),
            "year": data["aar"],
            "sex": data["koen"],
            "age_group": data["alder"],
            "education": data["uddannelse"],
        }

    def query(self) -> str:
        """The chosen filter as a query string, for the page links and the download."""
        if not self.is_bound or not self.is_valid():
            return ""
        return urlencode(
            {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}
        )


def _label(value: str, suffix: str = "") -> str:
    return str(_("I alt")) if value == ALL else f"{value}{suffix}"


def _values(request, code):
    indicator = selectors.indicator_get(code)
    years = selectors.indicator_years(indicator)
    breakdowns = selectors.indicator_breakdowns(indicator, years[-1] if years else None)
    form = IndicatorValuesForm(
        request.GET or None, areas=selectors.indicator_areas(), years=years, breakdowns=breakdowns
    )
    return indicator, years, form, selectors.indicator_values(indicator, **form.filters())


def indicator_detail(request, code):
    indicator, years, form, values = _values(request, code)
    context = {
        "indicator": indicator,
        "years": years,
        "form": form,
        "query": form.query(),
        "measures": selectors.indicator_measures(indicator),
        "page": selectors.indicator_values_page(values, request.GET.get("side")),
        "sample_data": selectors.indicator_has_sample(indicator),
        "may_see_uploads": can_upload(request.user),
    }
    if context["may_see_uploads"]:
        context["history"], context["history_more"] = selectors.indicator_history(indicator)
        # Values corrected by hand (the admin), outside any upload: the audit trail's record.
        context["corrections"] = report_selectors.history(f"indicator:{indicator.pk}", limit=50)
    return render(request, "goals/indicator_detail.html", context)


def indicator_values_csv(request, code):
    indicator, _years, _form, values = _values(request, code)
    response = StreamingHttpResponse(
        downloads.observations_csv(values), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="indikator-{indicator.code}.csv"'
    return response
