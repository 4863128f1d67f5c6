from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import StatusReport


class ReportCreateForm(forms.Form):
    """The SSU secretariat starts a draft: the evaluation year, the area and the kind of report."""

    year = forms.IntegerField(label=_("Vurderingsår"), min_value=1990, max_value=2100)
    area = forms.ChoiceField(label=_("Område"))
    kind = forms.ChoiceField(
        label=_("Type"), choices=StatusReport.Kind.choices, initial=StatusReport.Kind.ANNUAL
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(a.code, a.name) for a in areas]
        self.fields["year"].initial = timezone.localdate().year


class BatchCreateForm(forms.Form):
    year = forms.IntegerField(label=_("Vurderingsår"), min_value=1990, max_value=2100)
    kind = forms.ChoiceField(
        label=_("Type"), choices=StatusReport.Kind.choices, initial=StatusReport.Kind.ANNUAL
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class CorrectionForm(forms.Form):
    reason = forms.CharField(label=_("Hvorfor rettes rapporten?"), widget=forms.Textarea(attrs={"rows": 3}))


class ReportTextForm(forms.Form):
    """The draft's own words: a foreword, and an optional comment under each objective."""

    foreword = forms.CharField(
        label=_("Forord"), required=False, widget=forms.Textarea(attrs={"rows": 6}), max_length=20000
    )

    def __init__(self, *args, objectives, **kwargs):
        super().__init__(*args, **kwargs)
        self.objectives = objectives
        for objective in objectives:
            self.fields[f"comment_{objective['id']}"] = forms.CharField(
                label=objective["text"],
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=5000,
            )

    @property
    def comment_fields(self):
        return [self[f"comment_{o['id']}"] for o in self.objectives]

    def comments(self) -> dict[str, str]:
        return {str(o["id"]): self.cleaned_data[f"comment_{o['id']}"] for o in self.objectives}
