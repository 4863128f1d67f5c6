from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Activity, ActivityReport


class StatusViewForm(forms.Form):
    """The area and evaluation year an agreement's statuses are shown for, kept in the URL (?omraade=&aar=)
    so a view can be shared."""

    omraade = forms.ChoiceField(label=_("Område"), required=False)
    aar = forms.IntegerField(
        label=_("Vurderingsår"),
        required=False,
        min_value=1990,
        error_messages={
            "invalid": _("Skriv året som et helt tal, fx 2025."),
            "min_value": _("Året skal være %(limit_value)s eller senere."),
            "max_value": _("Året må højst være %(limit_value)s."),
        },
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["omraade"].choices = [(area.code, area.name) for area in areas]
        self.fields["omraade"].error_messages["invalid_choice"] = _("Vælg et område fra listen.")
        last_year = timezone.localdate().year + 1
        self.fields["aar"].validators.append(MaxValueValidator(last_year))
        self.fields["aar"].widget.attrs.update({"min": 1990, "max": last_year})


class AreaYearForm(StatusViewForm):
    """Only the evaluation year (?aar=): the area is in the URL."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, areas=[], **kwargs)
        del self.fields["omraade"]


class AreaCompareForm(StatusViewForm):
    """Two areas to set side by side (?a=&b=) and the evaluation year; the second area defaults to the first
    one's region. `areas` come from selectors.searchable_areas (regions, clusters, municipalities)."""

    a = forms.ChoiceField(label=_("Første område"), required=False)
    b = forms.ChoiceField(label=_("Andet område"), required=False)

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, areas=[], **kwargs)
        del self.fields["omraade"]
        self.fields = {name: self.fields[name] for name in ("a", "b", "aar")}
        self._areas = {area.code: area for area in areas}
        titles = {"region": _("Regioner"), "cluster": _("Sundhedsklynger"), "municipality": _("Kommuner")}
        groups = {}
        for area in areas:
            groups.setdefault(titles.get(area.kind, area.kind), []).append((area.code, area.name))
        choices = [("", _("Vælg et område"))] + list(groups.items())
        for name in ("a", "b"):
            self.fields[name].choices = choices
            self.fields[name].error_messages["invalid_choice"] = _("Vælg et område fra listen.")

    def chosen_areas(self) -> list:
        """The areas chosen, in order (after is_valid()): [a, b], [a, a's region] or []."""
        first = self._areas.get(self.cleaned_data.get("a") or "")
        if first is None:
            return []
        second = self._areas.get(self.cleaned_data.get("b") or "")
        if second is None:
            second = next((a for a in self._areas.values() if a.pk == first.parent_id), None)
        return [first] if second is None or second == first else [first, second]


# Reporting rounds and the clusters' activity reports.


class ReportingRoundForm(forms.Form):
    """The SSU secretariat opens a round for an agreement and a year."""

    agreement = forms.ModelChoiceField(label=_("Aftale"), queryset=None, empty_label=None)
    year = forms.IntegerField(label=_("År der rapporteres for"), min_value=2000, max_value=2100)
    deadline = forms.DateField(
        label=_("Frist"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Skriv fristen som en dato, fx 2026-03-01.")},
    )
    reminder_days = forms.IntegerField(
        label=_("Påmindelse antal dage før fristen"), min_value=0, max_value=90, initial=14
    )
    note = forms.CharField(
        label=_("Besked til klyngerne"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    copy_previous = forms.BooleanField(
        label=_("Start fra sidste runde"),
        help_text=_(
            "Klyngernes aktiviteter fra seneste runde kopieres ind som udgangspunkt (afsluttede undtaget)."
        ),
        required=False,
        initial=True,
    )

    def __init__(self, *args, agreements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = agreements
        self.fields["agreement"].error_messages["invalid_choice"] = _("Vælg en aftale fra listen.")

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError(_("Fristen kan ikke ligge før i dag."))
        return deadline


class ActivityReportForm(forms.Form):
    """The report's own fields. `version` guards against overwriting a newer save from another tab."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    assessment = forms.ChoiceField(
        label=_("Samlet vurdering"),
        choices=[("", _("Ikke vurderet endnu"))] + list(ActivityReport.Assessment.choices),
        required=False,
    )
    narrative = forms.CharField(
        label=_("Beskrivelse af status"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
    )


class ActivityForm(forms.Form):
    """One activity row. A row left completely empty is ignored."""

    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Aktivitet"), max_length=300, required=False)
    description = forms.CharField(
        label=_("Beskrivelse"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=Activity.Status.choices, initial=Activity.Status.PLANNED
    )
    partners = forms.MultipleChoiceField(
        label=_("Parter"),
        choices=Activity.Partner.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    link = forms.URLField(
        label=_("Link"),
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Skriv en gyldig webadresse, fx https://www.eksempel.dk.")},
    )

    def clean(self):
        data = super().clean()
        blank = not any(data.get(k) for k in ("title", "description", "link", "partners"))
        if blank and not data.get("id"):
            data["blank"] = True
        elif not data.get("title"):
            self.add_error("title", _("Giv aktiviteten en titel."))
        return data


class BaseActivityFormSet(forms.BaseFormSet):
    def inputs(self):
        """The rows to store, in order: blank and deleted rows left out (call after is_valid())."""
        from .services.reporting import ActivityInput

        rows = []
        for form in self.forms:
            data = form.cleaned_data
            if not data or data.get("blank") or data.get("DELETE"):
                continue
            rows.append(
                ActivityInput(
                    id=data.get("id"),
                    key=form.prefix,
                    title=data["title"],
                    description=data["description"],
                    status=data["status"],
                    partners=data["partners"],
                    link=data["link"],
                )
            )
        return rows

    @staticmethod
    def initial_for(report):
        return [
            {
                "id": a.pk,
                "title": a.title,
                "description": a.description,
                "status": a.status,
                "partners": a.partners,
                "link": a.link,
            }
            for a in report.activities.order_by("order", "id")
        ]


ActivityFormSet = forms.formset_factory(
    ActivityForm, formset=BaseActivityFormSet, extra=1, can_delete=True, max_num=100, absolute_max=200
)


class ReviewForm(forms.Form):
    """The SSU secretariat's comment when returning, approving or reopening a report."""

    comment = forms.CharField(
        label=_("Kommentar til klyngen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
