from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Datafil"),
        help_text=_(
            "CSV (semikolon, komma eller tabulator; UTF-8 eller Windows-1252) eller Excel (.xlsx, første ark). "
            "Se kolonnerne i vejledningen nedenfor."
        ),
        error_messages={"required": _("Vælg en fil."), "empty": _("Filen er tom.")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("Filen fylder %(size)s; den største tilladte fil er %(limit)s. Del filen op i flere."),
                params={
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.UPLOAD_MAX_BYTES),
                },
            )
        return upload
