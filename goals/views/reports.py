"""The clusters' activity reports: rounds, completeness, writing (with autosave) and review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import permissions
from ..forms import ActivityFormSet, ActivityReportForm, ReportingRoundForm, ReviewForm
from ..models import Agreement
from ..selectors import reports as selectors
from ..services import reporting


@login_required
def reporting_home(request):
    if not permissions.can_use_reporting(request.user):
        raise Http404
    context = {
        "rounds": selectors.round_list() if permissions.can_review_reports(request.user) else None,
        "my_reports": selectors.reports_for_writer(request.user),
        "today": timezone.localdate(),
    }
    return render(request, "goals/reporting_home.html", context)


@login_required
def round_create(request):
    if not permissions.can_open_rounds(request.user):
        raise Http404
    form = ReportingRoundForm(request.POST or None, agreements=selectors.agreements_with_activity_status())
    if form.is_valid():
        data = form.cleaned_data
        try:
            reporting_round = reporting.reporting_round_open(user=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Runden er åbnet. Klyngerne kan nu skrive deres rapporter."))
            return redirect(reporting_round)
    return render(request, "goals/round_form.html", {"form": form})


@login_required
def round_detail(request, pk):
    reporting_round = permissions.round_for_user(request.user, pk)
    completeness = selectors.round_completeness(reporting_round, request.user)
    return render(
        request, "goals/round_detail.html", {"completeness": completeness, "round": reporting_round}
    )


def report_detail(request, pk):
    report = permissions.report_for_user(request.user, pk)
    context = {
        "report": report,
        "activities": selectors.report_activities(report),
        # The trail holds the drafts' text and the review comments: for the cluster and the reviewers only.
        "history": selectors.history(f"report:{report.pk}")
        if permissions.can_see_report_history(request.user, report)
        else None,
        "can_use_reporting": permissions.can_use_reporting(request.user),
        "can_edit": permissions.can_edit_report(request.user, report),
        "can_review": permissions.can_review_report(request.user, report),
        "can_reopen": permissions.can_reopen_report(request.user, report),
        "review_form": ReviewForm(),
        "overdue": selectors.report_is_overdue(report),
    }
    return render(request, "goals/report_detail.html", context)


def _bound_forms(request, report):
    form = ActivityReportForm(request.POST)
    formset = ActivityFormSet(request.POST, prefix="activities")
    return form, formset


def _save(request, report, form, formset):
    """Save the posted text and activities; the forms must be valid. Returns the service's result."""
    data = form.cleaned_data
    return reporting.activity_report_save(
        report_id=report.pk,
        user=request.user,
        version=data["version"],
        assessment=data["assessment"],
        narrative=data["narrative"],
        activities=formset.inputs(),
    )


@login_required
def report_edit(request, pk):
    report = permissions.report_for_user(request.user, pk, check=permissions.can_edit_report)
    if request.method == "POST":
        form, formset = _bound_forms(request, report)
        if form.is_valid() and formset.is_valid():
            try:
                report, _ids = _save(request, report, form, formset)
            except reporting.ReportConflict:
                return _conflict(request, report, form, formset)
            except PermissionDenied:  # no longer theirs to edit (sent or approved meanwhile)
                raise Http404 from None
            if "submit" not in request.POST:
                messages.success(request, _("Kladden er gemt."))
                return redirect("goals:report_edit", pk=report.pk)
            try:
                reporting.activity_report_submit(report_id=report.pk, user=request.user)
            except ValidationError as error:
                messages.error(
                    request, _("Kladden er gemt, men rapporten er ikke sendt: ") + " ".join(error.messages)
                )
                return redirect("goals:report_edit", pk=report.pk)
            messages.success(request, _("Rapporten er sendt til godkendelse hos SSU-sekretariatet."))
            return redirect(report)
        messages.error(request, _("Rapporten er ikke gemt. Ret fejlene herunder; din tekst står der stadig."))
    else:
        form = ActivityReportForm(
            initial={
                "version": report.version,
                "assessment": report.assessment,
                "narrative": report.narrative,
            }
        )
        formset = ActivityFormSet(prefix="activities", initial=ActivityFormSet.initial_for(report))
    return _edit_page(request, report, form, formset)


def _edit_page(request, report, form, formset, status=200):
    context = {
        "can_use_reporting": True,
        "report": report,
        "form": form,
        "formset": formset,
        "problems": reporting.submission_problems(report),
        "overdue": selectors.report_is_overdue(report),
    }
    return render(request, "goals/report_edit.html", context, status=status)


def _conflict(request, report, form, formset):
    """Someone saved the report after this page was loaded. Show the user's own text again (nothing is
    lost) with the stored version number, so a deliberate second save replaces the newer text."""
    report.refresh_from_db()
    data = request.POST.copy()
    data["version"] = report.version
    form = ActivityReportForm(data)
    formset = ActivityFormSet(data, prefix="activities")
    form.is_valid()
    formset.is_valid()
    messages.warning(
        request,
        _(
            "Rapporten er gemt et andet sted (fx i en anden fane), efter du åbnede siden. Din tekst står "
            "herunder og er ikke gemt. Åbn rapporten i en ny fane for at se den gemte udgave, eller gem igen "
            "for at erstatte den med din."
        ),
    )
    return _edit_page(request, report, form, formset, status=409)


@login_not_required  # answers a timed-out session itself, in JSON, also when every page needs a log-in
@require_POST
def report_autosave(request, pk):
    """Save the draft as the secretary types (static/js/report.js). JSON in both directions of success;
    a session that has timed out gets 403 and the page keeps the text in the browser."""
    if not request.user.is_authenticated:
        return JsonResponse(
            {"error": _("Du er logget ud. Din tekst er gemt i browseren; log ind igen.")}, status=403
        )
    report = permissions.report_for_user(request.user, pk, check=permissions.can_edit_report)
    form, formset = _bound_forms(request, report)
    if not (form.is_valid() and formset.is_valid()):
        errors = {**form.errors.get_json_data(), **_formset_errors(formset)}
        return JsonResponse({"error": _("Ikke gemt: ret de markerede felter."), "errors": errors}, status=400)
    try:
        report, ids = _save(request, report, form, formset)
    except reporting.ReportConflict:
        return JsonResponse(
            {
                "error": _(
                    "Ikke gemt: rapporten er gemt et andet sted efter du åbnede siden. Genindlæs siden."
                )
            },
            status=409,
        )
    except PermissionDenied:
        raise Http404 from None
    saved = time_format(timezone.localtime(report.updated_at), "H:i:s")
    # What is still missing before the report can be sent: the page's checklist follows the typing.
    problems = [str(problem) for problem in reporting.submission_problems(report)]
    return JsonResponse({"version": report.version, "ids": ids, "saved_at": saved, "problems": problems})


def _formset_errors(formset):
    errors = {}
    for form in formset.forms:
        for name, problems in form.errors.get_json_data().items():
            errors[f"{form.prefix}-{name}"] = problems
    return errors


@require_POST
@login_required
def report_review(request, pk):
    """Return (with a comment), approve, or reopen (with a reason) a report."""
    action = request.POST.get("action")
    services = {
        "return": (reporting.activity_report_return, permissions.can_review_report, "comment"),
        "approve": (reporting.activity_report_approve, permissions.can_review_report, "comment"),
        "reopen": (reporting.activity_report_reopen, permissions.can_reopen_report, "reason"),
    }
    if action not in services:
        raise Http404
    service, check, argument = services[action]
    report = permissions.report_for_user(request.user, pk, check=check)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            service(report_id=report.pk, user=request.user, **{argument: form.cleaned_data["comment"]})
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _DONE[action])
    else:
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
    return redirect(report)


_DONE = {
    "return": gettext_lazy("Rapporten er sendt retur til klyngen med din kommentar."),
    "approve": gettext_lazy("Rapporten er godkendt og låst."),
    "reopen": gettext_lazy("Rapporten er genåbnet og sendt retur til klyngen."),
}


def agreement_history(request, slug):
    """Every recorded change to an agreement's texts, targets and reporting rounds."""
    agreement = get_object_or_404(Agreement, slug=slug)
    events = selectors.history(f"agreement:{agreement.pk}")
    # The page names each editor by role and organisation (AuditEvent.actor_public): two queries for all.
    prefetch_related_objects(events, "actor__groups", "actor__cluster_assignments__cluster")
    return render(request, "goals/agreement_history.html", {"agreement": agreement, "history": events})
