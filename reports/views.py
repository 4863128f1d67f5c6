"""Pages of the status reports: the list per agreement, a report (draft preview or published), writing and
publishing it, its PDF and JSON, and the run over every area."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goals.selectors.reports import history

from . import compare, pdf, permissions, rendering, selectors, services
from .forms import BatchCreateForm, CorrectionForm, ReportCreateForm, ReportTextForm
from .models import canonical_json


def report_list(request, slug):
    agreement = selectors.agreement_for_reports(slug)
    writer = permissions.can_publish_reports(request.user)
    context = {
        "agreement": agreement,
        "reports": selectors.agreement_reports(agreement, drafts=writer),
        "can_write": writer,
    }
    if writer:
        context["create_form"] = ReportCreateForm(areas=selectors.report_areas(agreement))
        context["batch_form"] = BatchCreateForm()
    return render(request, "reports/report_list.html", context)


@login_required
@require_POST
def report_create(request, slug):
    if not permissions.can_write_reports(request.user):
        raise Http404
    agreement = selectors.agreement_for_reports(slug)
    areas = selectors.report_areas(agreement)
    form = ReportCreateForm(request.POST, areas=areas)
    if form.is_valid():
        area = next(a for a in areas if a.code == form.cleaned_data["area"])
        try:
            report = services.status_report_create(
                agreement=agreement,
                year=form.cleaned_data["year"],
                area=area,
                kind=form.cleaned_data["kind"],
                user=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            return redirect(report)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("reports:list", slug=agreement.slug)


def report_detail(request, pk):
    report = permissions.report_for_user(request.user, pk)
    writer = permissions.can_publish_reports(request.user)
    context = {"can_write": writer, "pdf_missing": pdf.engine_missing()}
    if report.is_draft:
        content = selectors.report_live_content(report)
        context["text_form"] = ReportTextForm(initial=_initial_texts(report), objectives=_objectives(content))
    else:
        content = report.content_data
        live = selectors.report_live_content(report)
        context["since"] = compare.content_changes(content, live)
        previous = selectors.previous_report(report)
        if previous is not None:
            context["previous"] = previous
            context["previous_changes"] = compare.status_changes(previous.content_data, content)
        context["correction_form"] = CorrectionForm() if report.status == "published" and writer else None
    if writer:
        context["history"] = history(report.audit_scope)
    context.update(rendering.report_context(report, content))
    return render(request, "reports/report_detail.html", context)


def _objectives(content):
    return [o for v in content["visions"] for o in v["objectives"]]


def _initial_texts(report):
    initial = {"foreword": report.foreword}
    initial.update({f"comment_{k}": v for k, v in report.objective_comments.items()})
    return initial


@login_required
@require_POST
def report_edit(request, pk):
    report = permissions.report_for_user(request.user, pk, check=permissions.can_edit_report)
    content = selectors.report_live_content(report)
    form = ReportTextForm(request.POST, objectives=_objectives(content))
    if form.is_valid():
        services.status_report_update(
            report_id=report.pk,
            user=request.user,
            foreword=form.cleaned_data["foreword"],
            comments=form.comments(),
        )
        messages.success(request, _("Forord og kommentarer er gemt."))
    else:
        messages.error(request, _("Teksterne er for lange; intet er gemt."))
    return redirect(report)


@login_required
@require_POST
def report_publish(request, pk):
    report = permissions.report_for_user(request.user, pk, check=permissions.can_publish_report)
    try:
        services.status_report_publish(report_id=report.pk, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Rapporten er offentliggjort. Den ændres ikke mere, heller ikke når data ændres.")
        )
    return redirect(report)


@login_required
@require_POST
def report_correct(request, pk):
    report = permissions.report_for_user(request.user, pk, check=permissions.can_correct_report)
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Skriv, hvorfor rapporten rettes."))
        return redirect(report)
    try:
        correction = services.status_report_correct(
            report_id=report.pk, user=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(report)
    return redirect(correction)


@login_required
@require_POST
def report_delete(request, pk):
    report = permissions.report_for_user(request.user, pk, check=permissions.can_edit_report)
    slug = report.agreement.slug
    services.status_report_delete(report_id=report.pk, user=request.user)
    messages.success(request, _("Kladden er slettet."))
    return redirect("reports:list", slug=slug)


def report_pdf(request, pk):
    report = permissions.report_for_user(request.user, pk)
    if not report.pdf:
        raise Http404
    return FileResponse(
        report.pdf.open("rb"),
        as_attachment=True,
        filename=report.pdf.name.rsplit("/", 1)[-1],
        content_type="application/pdf",
    )


def report_export(request, pk):
    """A published report's stored content, byte for byte; a draft's live content (secretariat only)."""
    report = permissions.report_for_user(request.user, pk)
    if report.is_frozen:
        body = report.content + "\n"
    else:
        body = canonical_json(selectors.report_live_content(report)) + "\n"
    return HttpResponse(body.encode("utf-8"), content_type="application/json; charset=utf-8")


@login_required
@require_POST
def batch_create(request, slug):
    if not permissions.can_publish_reports(request.user):
        raise Http404
    agreement = selectors.agreement_for_reports(slug)
    form = BatchCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("reports:list", slug=slug)
    try:
        batch = services.report_batch_create(
            agreement=agreement,
            year=form.cleaned_data["year"],
            kind=form.cleaned_data["kind"],
            user=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reports:list", slug=slug)
    return redirect(batch)


@login_required
def batch_detail(request, pk):
    batch = permissions.batch_for_user(request.user, pk)
    reports = batch.reports.select_related("area").order_by("area__kind", "area__name")
    return render(request, "reports/batch_detail.html", {"batch": batch, "batch_reports": reports})


@login_required
def batch_status(request, pk):
    """What the progress bar polls (static/js/upload.js, as for uploads)."""
    batch = permissions.batch_for_user(request.user, pk)
    return JsonResponse(
        {
            "status": batch.status,
            "label": batch.get_status_display(),
            "progress": batch.progress,
            "working": batch.is_working,
        }
    )
