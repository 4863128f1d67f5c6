from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
