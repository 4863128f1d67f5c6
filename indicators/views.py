from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import UploadForm
from .ingest.problems import problem_groups, problem_total
from .permissions import can_upload, upload_for_user
from .preview import UploadPreview


def indicator_list(request):
    return render(request, "indicators/indicator_list.html", {"indicators": selectors.indicator_list()})


@login_required
def upload_list(request):
    if not can_upload(request.user):
        raise Http404
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if form.is_bound and form.is_valid():
        upload = services.upload_create(file=form.cleaned_data["file"], user=request.user)
        return redirect("indicators:upload_detail", pk=upload.pk)
    return render(request, "indicators/upload_list.html", {"form": form, "uploads": selectors.upload_list()})


@login_required
def upload_detail(request, pk):
    upload = upload_for_user(request.user, pk)
    return render(
        request,
        "indicators/upload_detail.html",
        {
            "upload": upload,
            "preview": UploadPreview.from_json(upload.preview),
            "problem_groups": problem_groups(upload.problems),
            "problem_total": problem_total(upload.problems),
            "warning_groups": problem_groups(upload.warnings),
        },
    )


@login_required
def upload_file(request, pk):
    """The file exactly as the analyst uploaded it, also when it was rejected: to correct it and upload it
    again. Always a download (never shown in the browser: it may be any bytes someone saved as .csv)."""
    upload = upload_for_user(request.user, pk)
    if not upload.file or not upload.file.storage.exists(upload.file.name):
        raise Http404(_("Filen findes ikke længere."))
    return FileResponse(
        upload.file.open("rb"),
        as_attachment=True,
        filename=upload.original_name,
        content_type="application/octet-stream",
    )


@login_required
def upload_status(request, pk):
    """What the progress bar polls while the upload is checked or loaded in the background."""
    upload = upload_for_user(request.user, pk)
    return JsonResponse(
        {
            "status": upload.status,
            "label": upload.get_status_display(),
            "progress": upload.progress,
            "working": upload.is_working,
        }
    )


def _upload_action(service, success_message):
    @login_required
    @require_POST
    def view(request, pk):
        upload = upload_for_user(request.user, pk)
        try:
            service(upload_id=upload.pk, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, success_message())
        return redirect("indicators:upload_detail", pk=upload.pk)

    return view


upload_confirm = _upload_action(services.upload_confirm, lambda: _("Indlæsningen er startet."))
upload_discard = _upload_action(services.upload_discard, lambda: _("Uploaden er kasseret; intet er ændret."))
upload_rollback = _upload_action(
    services.upload_rollback, lambda: _("Uploaden er rullet tilbage; de tidligere værdier er genskabt.")
)
