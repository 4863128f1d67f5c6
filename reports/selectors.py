"""Reads for status reports. `report_content_build` is the one function that turns the live data into what a
report shows: a draft's preview, the content stored at publication and the "since publication" comparison
all come from it, so the preview is exactly what gets published."""

from django.db.models import Prefetch, Q, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone, translation

from clusters.models import Area, ClusterMembership
from goals import progress
from goals import selectors as goal_selectors
from goals.models import Activity, Agreement, Measure, MeasureStatus
from goals.selectors.reports import activity_status_summary
from indicators import charts
from indicators.models import Observation, Upload

from .models import StatusReport

# Bump when the content's shape changes, so a reader (the template, the API) can tell old content from new.
CONTENT_FORMAT = 1

# The summary's two lists: a follow-up moving the wrong way or too slowly, and one moving as it should.
OFF_TRACK = (progress.WORSENING, progress.NO_CHANGE, progress.BEHIND)
ON_TRACK = (progress.ACHIEVED, progress.ON_TRACK, progress.IMPROVING)


def _danish(value) -> str:
    return progress.in_danish(value)


def _value(year, value, low=None, high=None, sample=False) -> dict:
    return {"year": year, "value": value, "ci_low": low, "ci_high": high, "is_sample": bool(sample)}


def report_content_build(
    *,
    agreement: Agreement,
    area: Area,
    year: int,
    kind: str,
    foreword: str = "",
    comments: dict | None = None,
) -> dict:
    """Everything a report on `agreement` for `area` as of `year` shows, from the live data, as plain JSON
    values in Danish: the statuses and roll-ups, each follow-up's values (with CI and data year), baseline,
    target, comparison with region and country, the clusters' approved activity status, which values are
    eksempeldata, and the data and status-method versions it rests on.

    A fixed number of queries whatever the data: the agreement's tree, the statuses, the activity reports and
    their activities, the observations and the data version.
    """
    comments = comments or {}
    with translation.override("da"):
        agreement = goal_selectors.agreement_get(agreement.slug)
        status = goal_selectors.agreement_status(agreement=agreement, area=area, year=year)
        measures = [line.measure for line in status.measures if line.measure.kind == Measure.Kind.INDICATOR]
        region = agreement.area
        compared = _compared_areas(area, region)
        series = _series(measures, [area, *compared], year)
        activity = _activity(agreement, area, year)
        visions = []
        for vision in status.visions:
            objectives = []
            for objective in vision.objectives:
                lines = [
                    _measure_content(line, area, compared, series, activity, objective.objective.pk)
                    for line in objective.measures
                ]
                objectives.append(
                    {
                        "id": objective.objective.pk,
                        "text": objective.objective.text,
                        "focus_area": objective.objective.focus_area.title
                        if objective.objective.focus_area
                        else "",
                        "headline": objective.rollup.headline or "",
                        "headline_label": _danish(objective.rollup.label)
                        if objective.rollup.headline
                        else "",
                        "comment": comments.get(str(objective.objective.pk), "").strip(),
                        "measures": lines,
                    }
                )
            visions.append(
                {
                    "id": vision.vision.pk,
                    "title": vision.vision.title,
                    "is_vision": vision.vision.is_vision,
                    "headline": vision.rollup.headline or "",
                    "headline_label": _danish(vision.rollup.label) if vision.rollup.headline else "",
                    "objectives": objectives,
                }
            )
        all_lines = [m for v in visions for o in v["objectives"] for m in o["measures"]]
        counted = [m for m in all_lines if m["kind"] == Measure.Kind.INDICATOR]
        counts = progress.rollup(m["status"] for m in counted).counts
        return {
            "format": CONTENT_FORMAT,
            "agreement": {
                "slug": agreement.slug,
                "title": agreement.title,
                "owner": agreement.owner,
                "period_start": agreement.period_start.isoformat(),
                "period_end": agreement.period_end.isoformat(),
            },
            "area": {
                "code": area.code,
                "name": area.name,
                "kind": area.kind,
                "kind_label": _danish(area.get_kind_display()),
            },
            "compared_areas": [{"code": a.code, "name": a.name} for a in compared],
            "year": year,
            "kind": kind,
            "kind_label": _danish(StatusReport.Kind(kind).label),
            "foreword": foreword.strip(),
            "counts": [
                {"status": code, "label": _danish(progress.STATUS_LABELS[code]), "count": counts[code]}
                for code in progress.STATUS_ORDER
            ],
            "activity_count": len(all_lines) - len(counted),
            "rollup_rule": _danish(progress.ROLLUP_RULE),
            "status_method_version": progress.METHOD_VERSION,
            "data_version": _data_version(),
            "has_sample": any(_has_sample(m) for m in all_lines),
            "visions": visions,
        }


def _compared_areas(area: Area, region: Area) -> list[Area]:
    """The region (unless the report is the region's) and the whole country."""
    wanted = Q(code=Area.COUNTRY_CODE) | Q(pk=region.pk)
    found = sorted(Area.objects.filter(wanted).exclude(pk=area.pk), key=lambda a: a.kind != Area.Kind.REGION)
    return found


def _series(measures, areas, year) -> dict[tuple, list[dict]]:
    """(area id, indicator id, sex, age, education) -> the values up to `year`, oldest first. One query."""
    if not measures:
        return {}
    wanted = Q()
    for m in measures:
        wanted |= Q(indicator_id=m.indicator_id, sex=m.sex, age_group=m.age_group, education=m.education)
    rows = (
        Observation.objects.filter(area_id__in=[a.pk for a in areas], year__lte=year, value__isnull=False)
        .filter(wanted)
        .order_by("year")
        .values_list(
            "area_id",
            "indicator_id",
            "sex",
            "age_group",
            "education",
            "year",
            "value",
            "ci_low",
            "ci_high",
            "is_sample",
        )
    )
    found: dict[tuple, list[dict]] = {}
    for area_id, indicator_id, sex, age, education, obs_year, value, low, high, sample in rows:
        found.setdefault((area_id, indicator_id, sex, age, education), []).append(
            _value(obs_year, value, low, high, sample)
        )
    return found


def _key(area, m):
    return (area.pk, m.indicator_id, m.sex, m.age_group, m.education)


def _measure_content(line, area, compared, series, activity, objective_id) -> dict:
    measure = line.measure
    content = {
        "id": measure.pk,
        "kind": measure.kind,
        "follow_up": measure.follow_up_text,
        "follow_up_is_quote": measure.follow_up_is_quote,
        "status": line.status,
        "status_label": _danish(progress.STATUS_LABELS[line.status]),
    }
    if measure.kind == Measure.Kind.ACTIVITY_STATUS:
        content["activity"] = activity(objective_id)
        content["summary"] = content["activity"]["note"]
        return content
    row: MeasureStatus | None = line.status_row
    indicator = measure.indicator
    own = series.get(_key(area, measure), [])
    latest = None
    if row is not None and row.latest_year is not None:
        # The year the status rests on; a cluster's value may be estimated from its municipalities (no CI).
        latest = next((v for v in own if v["year"] == row.latest_year), None) or _value(
            row.latest_year, row.latest_value
        )
    elif own:
        latest = own[-1]
    try:
        target = measure.target
    except Measure.target.RelatedObjectDoesNotExist:
        target = None
    target_text = " ".join(
        render_to_string("goals/includes/target.html", {"target": target, "measure": measure}).split()
    )
    benchmark = (row.benchmark if row else "") or progress.NOT_COMPARED
    content.update(
        {
            "indicator": {"code": indicator.code, "name": indicator.name, "unit": indicator.unit},
            "breakdown": measure.breakdown_label,
            "polarity": measure.effective_polarity,
            "polarity_text": "højere er bedre" if measure.effective_polarity == 1 else "lavere er bedre",
            "flags": list(row.flags) if row else [],
            "explanation": row.explanation if row else line.note,
            "baseline": {"year": row.baseline_year, "value": row.baseline_value}
            if row and row.baseline_year is not None
            else None,
            "latest": latest,
            "target": {
                "text": target_text,
                "kind": target.kind if target else "",
                "value": target.value if target else None,
                "target_year": row.target_year if row else (target.target_year if target else None),
                "target_value": row.target_value if row else None,
            },
            "benchmark": {
                "result": benchmark,
                "label": _danish(MeasureStatus.Benchmark(benchmark).label),
                "area": row.benchmark_area.name if row and row.benchmark_area else "",
            },
            "comparisons": [
                {"code": a.code, "name": a.name, "latest": (series.get(_key(a, measure)) or [None])[-1]}
                for a in compared
            ],
            "series": own,
        }
    )
    content["summary"] = _sentence(content)
    return content


def _number(value, unit) -> str:
    return charts.format_value(value, unit)


def _sentence(m: dict) -> str:
    """One plain sentence for the summary: what is followed, its status, and the numbers behind it."""
    name = m["indicator"]["name"] + (f" ({m['breakdown']})" if m["breakdown"] else "")
    unit = m["indicator"]["unit"]
    text = f"{name}: {m['status_label'].lower()}"
    latest, baseline = m["latest"], m["baseline"]
    if latest:
        text += f", {_number(latest['value'], unit)} i {latest['year']}"
        if baseline and baseline["year"] != latest["year"]:
            text += f" mod {_number(baseline['value'], unit)} i {baseline['year']}"
    return text + "."


def _has_sample(m: dict) -> bool:
    if m["kind"] != Measure.Kind.INDICATOR:
        return False
    values = list(m["series"]) + [c["latest"] for c in m["comparisons"] if c["latest"]]
    return any(v["is_sample"] for v in values)


def _activity(agreement: Agreement, area: Area, year: int):
    """objective id -> the clusters' approved activity status for the area: every cluster for the region, the
    cluster itself, or the clusters a municipality is a full member of. Four queries, made once."""
    summary = activity_status_summary(agreement, year=year)
    reports = [r for found in summary.by_objective.values() for r in found]
    prefetch_related_objects(
        reports, Prefetch("activities", queryset=Activity.objects.order_by("order", "id"))
    )
    if area.kind == Area.Kind.CLUSTER:
        clusters = {area.pk}
    elif area.kind == Area.Kind.MUNICIPALITY:
        clusters = set(
            ClusterMembership.objects.filter(municipality=area, kind=ClusterMembership.Kind.FULL).values_list(
                "cluster_id", flat=True
            )
        )
    else:
        clusters = None
    total = summary.cluster_count if clusters is None else len(clusters)

    def for_objective(objective_id) -> dict:
        found = [
            r
            for r in summary.by_objective.get(objective_id, [])
            if clusters is None or r.cluster_id in clusters
        ]
        if summary.year is None:
            note = "Opfølges med sundhedsklyngernes årlige aktivitetsstatus; der er endnu ingen runde."
        else:
            note = f"{len(found)} af {total} klynger har en godkendt status for {summary.year}."
        return {
            "round_year": summary.year,
            "cluster_count": total,
            "note": note,
            "clusters": [
                {
                    "name": r.cluster.name,
                    "assessment": r.assessment,
                    "assessment_label": _danish(r.get_assessment_display()),
                    "narrative": r.narrative,
                    "activities": [
                        {"title": a.title, "status_label": _danish(a.get_status_display())}
                        for a in r.activities.all()
                    ],
                }
                for r in found
            ],
        }

    return for_objective


def _data_version() -> dict:
    """What the statuses rest on: the newest status computation and the newest upload loaded or rolled back."""
    newest = MeasureStatus.objects.order_by("-id").values("id", "computed_at").first()
    upload = (
        Upload.objects.filter(Q(loaded_at__isnull=False) | Q(rolled_back_at__isnull=False))
        .order_by("-id")
        .values("id", "loaded_at", "rolled_back_at")
        .first()
    )

    def stamp(value):
        return timezone.localtime(value).isoformat(timespec="seconds") if value else None

    return {
        "statuses_computed_at": stamp(newest["computed_at"]) if newest else None,
        "status_row": newest["id"] if newest else None,
        "upload": upload["id"] if upload else None,
        "upload_changed_at": stamp(upload["rolled_back_at"] or upload["loaded_at"]) if upload else None,
    }


# Reports for pages.


def report_get(pk: int) -> StatusReport:
    return StatusReport.objects.select_related("agreement__area", "area", "published_by", "created_by").get(
        pk=pk
    )


def published_reports(*, agreement=None, area=None, limit: int | None = None) -> list[StatusReport]:
    """Published reports (not the superseded ones), newest year first. One query."""
    queryset = StatusReport.objects.filter(status=StatusReport.Status.PUBLISHED).select_related(
        "agreement", "area"
    )
    if agreement is not None:
        queryset = queryset.filter(agreement=agreement)
    if area is not None:
        queryset = queryset.filter(area=area)
    queryset = queryset.order_by("-year", "agreement__slug", "kind", "area__kind", "area__name")
    return list(queryset[:limit] if limit else queryset)


def agreement_reports(agreement: Agreement, *, drafts: bool) -> list[StatusReport]:
    """Every report of an agreement a reader may see: published and superseded ones, and drafts for the
    secretariat. One query."""
    queryset = StatusReport.objects.filter(agreement=agreement).select_related("area", "superseded_by")
    if not drafts:
        queryset = queryset.exclude(status=StatusReport.Status.DRAFT)
    return list(queryset.order_by("-year", "kind", "area__kind", "area__name", "-published_at", "-id"))


def previous_report(report: StatusReport) -> StatusReport | None:
    """The same kind of report for the same agreement and area from the nearest earlier year, published."""
    return (
        StatusReport.objects.filter(
            agreement_id=report.agreement_id,
            area_id=report.area_id,
            kind=report.kind,
            year__lt=report.year,
            status=StatusReport.Status.PUBLISHED,
        )
        .order_by("-year")
        .first()
    )


def report_live_content(report: StatusReport) -> dict:
    """The report as it would read from today's data (a draft's preview; a published report's comparison)."""
    return report_content_build(
        agreement=report.agreement,
        area=report.area,
        year=report.year,
        kind=report.kind,
        foreword=report.foreword,
        comments=report.objective_comments,
    )


def agreement_for_reports(slug: str) -> Agreement:
    return get_object_or_404(Agreement.objects.select_related("area"), slug=slug)


def report_areas(agreement: Agreement) -> list[Area]:
    """The areas a report can be about: the agreement's region, its clusters and its municipalities."""
    return goal_selectors.agreement_areas(agreement)
