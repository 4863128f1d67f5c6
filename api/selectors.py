"""Reads for the open data API. Each returns plain values or model instances with what the serializers need
loaded, in a fixed number of queries; the observations are read as tuples straight off their unique index.

Codes are the keys: kommunekode (area code), indicator code, agreement slug, and for a measure (which has no
code) `<agreement slug>/<vision>.<objective>.<measure>`, the positions the agreement text gives them.
"""

import base64
import binascii
import json
from dataclasses import dataclass

from django.db import connection
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from clusters.models import Area, ClusterMembership
from goals import permissions as report_permissions
from goals import selectors as goals_selectors
from goals.models import ActivityReport, Agreement, Measure, MeasureStatus
from indicators.models import Indicator, Observation
from indicators.selectors import sample_data_present

# ?omraadetype= accepts the Danish word and the stored value alike.
AREA_KINDS = {
    "land": Area.Kind.COUNTRY,
    "region": Area.Kind.REGION,
    "sundhedsklynge": Area.Kind.CLUSTER,
    "klynge": Area.Kind.CLUSTER,
    "kommune": Area.Kind.MUNICIPALITY,
    **{kind.value: kind.value for kind in Area.Kind},
}


class BadFilter(ValueError):
    """A filter value the API cannot use (an unknown code, a year that is not a number): answered with 400."""


def split(value: str | None) -> list[str]:
    """ "461, 479" -> ["461", "479"]; empty -> []."""
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def years(value: str | None) -> list[int]:
    found = []
    for part in split(value):
        if not (part.isascii() and part.isdigit()) or not 1900 <= int(part) <= 2100:
            raise BadFilter(f"aar: {part!r} er ikke et årstal / is not a year")
        found.append(int(part))
    return found


# Measures: the readable key.


def measure_key(measure: Measure) -> str:
    """`<agreement slug>/<vision>.<objective>.<measure>`; needs objective__vision__agreement loaded."""
    objective = measure.objective
    return f"{objective.vision.agreement.slug}/{objective.vision.order}.{objective.order}.{measure.order}"


def _measure_key_filter(key: str) -> Q:
    slug, _, path = key.rpartition("/")
    parts = path.split(".")
    if not slug or len(parts) != 3 or not all(p.isascii() and p.isdigit() and len(p) < 5 for p in parts):
        raise BadFilter(f"opfoelgning: {key!r} er ikke en nøgle som <aftale>/1.2.1 / is not a key")
    vision, objective, order = (int(p) for p in parts)
    return Q(
        objective__vision__agreement__slug=slug,
        objective__vision__order=vision,
        objective__order=objective,
        order=order,
    )


_MEASURE_RELATED = ("objective__vision__agreement", "objective__focus_area", "indicator", "target")


def measure_by_key(slug: str, path: str) -> Measure:
    try:
        condition = _measure_key_filter(f"{slug}/{path}")
    except BadFilter as error:
        raise Http404 from error
    return get_object_or_404(Measure.objects.select_related(*_MEASURE_RELATED), condition)


def measures_by_keys(keys: list[str]) -> list[Measure]:
    condition = Q()
    for key in keys:
        condition |= _measure_key_filter(key)
    found = list(Measure.objects.filter(condition).select_related(*_MEASURE_RELATED))
    known = {measure_key(m) for m in found}
    unknown = [key for key in keys if key not in known]
    if unknown:
        raise BadFilter(f"opfoelgning: ukendt / unknown {', '.join(unknown)}")
    return found


# Agreements.


def agreement_list():
    return goals_selectors.agreement_list().order_by("-period_start", "slug")


def agreement_get(slug: str) -> Agreement:
    """The whole tree, as the agreement page loads it (goals.selectors.agreement_get)."""
    return goals_selectors.agreement_get(slug)


# Areas.


def area_filter(*, omraade: str = "", omraadetype: str = "", region: str = "") -> Q | None:
    """The areas chosen by ?omraade=461,479, ?omraadetype=kommune and ?region=1083 (together: all
    municipalities in Region Syddanmark); None when nothing is chosen. Unknown codes are a BadFilter."""
    condition = Q()
    chosen = False
    if codes := split(omraade):
        known = set(Area.objects.filter(code__in=codes).values_list("code", flat=True))
        if unknown := [c for c in codes if c not in known]:
            raise BadFilter(f"omraade: ukendt område / unknown area {', '.join(unknown)}")
        condition &= Q(code__in=codes)
        chosen = True
    if kinds := split(omraadetype):
        if unknown := [k for k in kinds if k not in AREA_KINDS]:
            raise BadFilter(f"omraadetype: ukendt / unknown {', '.join(unknown)}")
        condition &= Q(kind__in=[AREA_KINDS[k] for k in kinds])
        chosen = True
    if regions := split(region):
        known = set(
            Area.objects.filter(code__in=regions, kind=Area.Kind.REGION).values_list("code", flat=True)
        )
        if unknown := [c for c in regions if c not in known]:
            raise BadFilter(f"region: ukendt region / unknown region {', '.join(unknown)}")
        condition &= Q(code__in=regions) | Q(parent__code__in=regions) | Q(parent__parent__code__in=regions)
        chosen = True
    return condition if chosen else None


def area_list(condition: Q | None):
    memberships = ClusterMembership.objects.select_related("cluster", "municipality").order_by(
        "valid_from", "cluster__code", "municipality__code"
    )
    areas = Area.objects.select_related("parent").prefetch_related(
        Prefetch("memberships", queryset=memberships),
        Prefetch("cluster_memberships", queryset=memberships),
    )
    if condition is not None:
        areas = areas.filter(condition)
    return areas.order_by("code")


def area_get(code: str) -> Area:
    return get_object_or_404(area_list(None), code=code)


# Indicators.


def indicator_list():
    return Indicator.objects.select_related("source").order_by("code")


def indicator_get(code: str) -> Indicator:
    return goals_selectors.indicator_get(code)


def indicator_years(indicator: Indicator) -> list[int]:
    return goals_selectors.indicator_years(indicator)


def sample_present() -> bool:
    return sample_data_present()


# Observations: tuples off the unique index (indicator, area, year, sex, age group, education).

OBSERVATION_KEY = ("indicator_id", "area_id", "year", "sex", "age_group", "education")
OBSERVATION_COLUMNS = (
    *OBSERVATION_KEY,
    "period_label",
    "value",
    "ci_low",
    "ci_high",
    "respondents",
    "suppressed",
    "is_sample",
)


@dataclass
class ObservationFilter:
    indicator_ids: list[int]
    area_ids: list[int] | None
    years: list[int]
    year_from: int | None
    year_to: int | None
    sex: list[str]
    age_group: list[str]
    education: list[str]


def observation_filter(params) -> ObservationFilter:
    """The observations endpoint's query parameters, checked; BadFilter for anything it cannot use."""
    indicator_ids = []
    if codes := split(params.get("indikator")):
        found = dict(Indicator.objects.filter(code__in=codes).values_list("code", "pk"))
        if unknown := [c for c in codes if c not in found]:
            raise BadFilter(f"indikator: ukendt indikator / unknown indicator {', '.join(unknown)}")
        indicator_ids = sorted(found[c] for c in codes)
    condition = area_filter(
        omraade=params.get("omraade", ""),
        omraadetype=params.get("omraadetype", ""),
        region=params.get("region", ""),
    )
    area_ids = (
        None if condition is None else sorted(Area.objects.filter(condition).values_list("pk", flat=True))
    )
    bounds = {}
    for name in ("fra_aar", "til_aar"):
        found = years(params.get(name))
        if len(found) > 1:
            raise BadFilter(f"{name}: ét årstal / one year")
        bounds[name] = found[0] if found else None
    return ObservationFilter(
        indicator_ids=indicator_ids,
        area_ids=area_ids,
        years=years(params.get("aar")),
        year_from=bounds["fra_aar"],
        year_to=bounds["til_aar"],
        sex=split(params.get("koen")),
        age_group=split(params.get("alder")),
        education=split(params.get("uddannelse")),
    )


def encode_cursor(row: tuple) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(row[: len(OBSERVATION_KEY)])).encode()).decode()


def decode_cursor(value: str) -> tuple:
    try:
        key = json.loads(base64.urlsafe_b64decode(value.encode()))
        valid = (
            isinstance(key, list)
            and len(key) == len(OBSERVATION_KEY)
            and all(isinstance(k, int) and not isinstance(k, bool) and 0 <= k < 2**62 for k in key[:3])
            and all(isinstance(k, str) for k in key[3:])
        )
    except (ValueError, binascii.Error, UnicodeDecodeError):
        valid = False
    if not valid:
        raise BadFilter("efter: ugyldig markør / invalid cursor")
    return tuple(key)


def observation_rows(chosen: ObservationFilter, *, after: tuple | None, limit: int) -> list[tuple]:
    """Up to `limit` observations after the key `after`, in the unique index's order, as tuples in
    OBSERVATION_COLUMNS order.

    Read one (indicator, area) pair or a few at a time, in key order, each through the unique index
    (indicator = ? AND area IN (...)), and sorted here: PostgreSQL would otherwise sort every matching row of
    the selection (34,000 for one indicator in a region's municipalities) to give the first 10,000, or walk
    the index row by row through the heap. How many pairs a query takes grows with what is still missing
    and how many rows a pair gave so far, so a page costs two or three queries. Sorting (and the cursor) in
    Python also keeps the order independent of the database's collation."""
    indicator_ids = chosen.indicator_ids or sorted(Indicator.objects.values_list("pk", flat=True))
    area_ids = (
        chosen.area_ids if chosen.area_ids is not None else sorted(Area.objects.values_list("pk", flat=True))
    )
    pairs = [(i, a) for i in indicator_ids for a in area_ids]
    if after is not None:
        after = tuple(after)
        pairs = [pair for pair in pairs if pair >= after[:2]]
    where, params = _observation_conditions(chosen)
    table = Observation._meta.db_table
    found: list[tuple] = []
    index, rows_read = 0, 0
    while index < len(pairs) and len(found) < limit:
        per_pair = rows_read / index if index else None
        missing = limit - len(found)
        size = 1 if per_pair is None else max(1, min(200, int(missing / max(per_pair, 1.0)) + 1))
        indicator_id = pairs[index][0]
        chunk = [a for i, a in pairs[index : index + size] if i == indicator_id]
        index += len(chunk)
        sql = (
            f"SELECT {', '.join(OBSERVATION_COLUMNS)} FROM {table} "
            f"WHERE indicator_id = %s AND area_id IN ({', '.join(['%s'] * len(chunk))})"
            + "".join(f" AND {condition}" for condition in where)
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [indicator_id, *chunk, *params])
            rows = cursor.fetchall()
        rows_read += len(rows)
        # The first six columns are the unique key, so whole tuples sort in key order (and twice as fast
        # as through a key function): no two rows get as far as the nullable columns.
        rows.sort()
        if after is not None:
            rows = [row for row in rows if _key(row) > after]
        found += rows
    return found[:limit]


def _key(row: tuple) -> tuple:
    return row[:6]


def _observation_conditions(chosen: ObservationFilter) -> tuple[list[str], list]:
    where, params = [], []

    def one_of(column, values):
        if values:
            where.append(f"{column} IN ({', '.join(['%s'] * len(values))})")
            params.extend(values)

    one_of("year", chosen.years)
    if chosen.year_from is not None:
        where.append("year >= %s")
        params.append(chosen.year_from)
    if chosen.year_to is not None:
        where.append("year <= %s")
        params.append(chosen.year_to)
    one_of("sex", chosen.sex)
    one_of("age_group", chosen.age_group)
    one_of("education", chosen.education)
    return where, params


_code_memo: dict[str, tuple[dict[int, str], dict[int, str]]] = {}


def codes_by_id(version: str) -> tuple[dict[int, str], dict[int, str]]:
    """(indicator id -> code, area id -> code), read once per data version and process."""
    if version not in _code_memo:
        _code_memo.clear()
        _code_memo[version] = (
            dict(Indicator.objects.values_list("pk", "code")),
            dict(Area.objects.values_list("pk", "code")),
        )
    return _code_memo[version]


# Stored statuses.


@dataclass
class StatusKey:
    """One status the API will show, before its row is loaded: only a page of them is loaded."""

    measure: Measure
    area: Area
    pk: int


def status_keys(*, measures: list[Measure], areas: list[Area] | None, year: int, breakdown: dict) -> list:
    """Which status is in force in `year` for each measure in each area, as the pages find it
    (goals.selectors.measure_status_ids, the many-area form of `measure_status_for`), for the measure's own
    breakdown or the one asked for; without areas, each agreement's own areas (`agreement_areas`). In a
    stable order: agreement, measure position, area code. One query per agreement; load a page of them
    with `status_rows`."""
    by_agreement: dict[int, list[Measure]] = {}
    for measure in measures:
        if measure.kind == Measure.Kind.INDICATOR:
            by_agreement.setdefault(measure.objective.vision.agreement_id, []).append(measure)
    keys = []
    for group in by_agreement.values():
        agreement = group[0].objective.vision.agreement
        chosen = {
            a.pk: a for a in (areas if areas is not None else goals_selectors.agreement_areas(agreement))
        }
        newest = goals_selectors.measure_status_ids(
            measure_ids=[m.pk for m in group], area_ids=list(chosen), year=year, **breakdown
        )
        by_id = {m.pk: m for m in group}
        keys += [StatusKey(by_id[m], chosen[a], pk) for (m, a), pk in newest.items()]
    keys.sort(
        key=lambda k: (k.measure.objective.vision.agreement.slug, _measure_order(k.measure), k.area.code)
    )
    return keys


def status_rows(keys: list[StatusKey], *, year: int) -> list[MeasureStatus]:
    """The rows of `keys` (a page of them), in their order, marked as sample data or not."""
    rows = {row.pk: row for row in goals_selectors.measure_status_rows([k.pk for k in keys], year=year)}
    found = []
    for key in keys:
        row = rows[key.pk]
        row.measure, row.area, row.year_asked = key.measure, key.area, year
        found.append(row)
    mark_sample(found)
    return found


def _measure_order(measure: Measure) -> tuple[int, int, int]:
    return (measure.objective.vision.order, measure.objective.order, measure.order)


def mark_sample(rows: list[MeasureStatus]) -> None:
    """Set `is_sample` on each status: whether the latest value it rests on is generated ("eksempeldata").
    One query over the sample values of the rows' indicators, areas and years (the partial index on
    is_sample serves it)."""
    wanted = [r for r in rows if r.latest_year is not None]
    sample = set()
    if wanted:
        sample = set(
            Observation.objects.filter(
                is_sample=True,
                indicator_id__in={r.measure.indicator_id for r in wanted},
                area_id__in={r.area_id for r in wanted},
                year__in={r.latest_year for r in wanted},
            ).values_list("indicator_id", "area_id", "year", "sex", "age_group", "education")
        )
    for row in rows:
        key = (row.measure.indicator_id, row.area_id, row.latest_year, row.sex, row.age_group, row.education)
        row.is_sample = key in sample


def _is_year(value: str) -> bool:
    return value.isascii() and value.isdigit() and len(value) == 4


def current_year() -> int:
    return timezone.localdate().year


# The clusters' activity reports: approved ones for everyone, others by goals.permissions.


def activity_report_list(user, *, agreement: str = "", year: list[int] = (), cluster: list[str] = ()):
    reports = ActivityReport.objects.select_related(
        "round__agreement", "cluster", "objective__vision"
    ).prefetch_related("activities")
    if agreement:
        reports = reports.filter(round__agreement__slug=agreement)
    if year:
        reports = reports.filter(round__year__in=year)
    if cluster:
        reports = reports.filter(cluster__code__in=cluster)
    if not (report_permissions.can_review_reports(user) or report_permissions.user_cluster_ids(user)):
        # Nobody else may see more than the approved ones: let the database leave the rest out.
        reports = reports.filter(status=ActivityReport.Status.APPROVED)
    reports = reports.order_by(
        "-round__year",
        "round__agreement__slug",
        "cluster__code",
        "objective__vision__order",
        "objective__order",
    )
    return [r for r in reports if report_permissions.can_view_report(user, r)]


def activity_report_get(user, *, slug: str, year: str, cluster: str, objective: str) -> ActivityReport:
    parts = objective.split(".")
    if (
        len(parts) != 2
        or not all(p.isascii() and p.isdigit() and len(p) < 5 for p in parts)
        or not _is_year(year)
    ):
        raise Http404
    report = get_object_or_404(
        ActivityReport.objects.select_related(
            "round__agreement", "cluster", "objective__vision"
        ).prefetch_related("activities"),
        round__agreement__slug=slug,
        round__year=year,
        cluster__code=cluster,
        objective__vision__order=int(parts[0]),
        objective__order=int(parts[1]),
    )
    if not report_permissions.can_view_report(user, report):
        raise Http404
    return report


# The committee's status reports (reports app): published ones for everyone, drafts by reports.permissions.


def status_report_version() -> tuple[str, object]:
    """What the published reports add to the data version: publishing or correcting a report changes none
    of the pages' data, so the API's ETag must also change with the newest publication. One query."""
    from django.db.models import Count, Max

    from reports.models import StatusReport

    found = StatusReport.objects.exclude(status=StatusReport.Status.DRAFT).aggregate(
        newest=Max("published_at"), count=Count("pk")
    )
    return f"{found['count']}|{found['newest']}", found["newest"]


def status_report_list(user, *, agreement: list[str], years: list[int], areas: list[str], kinds: list[str]):
    from reports import permissions as reports_permissions
    from reports.models import StatusReport

    reports = StatusReport.objects.select_related("agreement", "area").exclude(
        status=StatusReport.Status.SUPERSEDED
    )
    if not reports_permissions.can_write_reports(user):
        # Nobody else may see drafts: let the database leave them out.
        reports = reports.filter(status=StatusReport.Status.PUBLISHED)
    if agreement:
        reports = reports.filter(agreement__slug__in=agreement)
    if years:
        reports = reports.filter(year__in=years)
    if areas:
        reports = reports.filter(area__code__in=areas)
    if kinds:
        reports = reports.filter(kind__in=kinds)
    reports = reports.order_by("-year", "agreement__slug", "area__code", "kind", "status")
    return [r for r in reports if reports_permissions.can_view_report(user, r)]


def status_report_get(user, *, slug: str, year: str, area: str, kind: str, draft: bool):
    """The published report (or, with `draft`, the draft) for this agreement, year, area and kind, if the
    user may see it (reports.permissions.can_view_report); 404 otherwise. Its content: the frozen JSON of
    a published report, a draft's live content."""
    from reports import permissions as reports_permissions
    from reports import selectors as reports_selectors
    from reports.models import StatusReport

    if not _is_year(year):
        raise Http404
    status = StatusReport.Status.DRAFT if draft else StatusReport.Status.PUBLISHED
    report = get_object_or_404(
        StatusReport.objects.select_related("agreement__area", "area"),
        agreement__slug=slug,
        year=int(year),
        area__code=area,
        kind=kind,
        status=status,
    )
    if not reports_permissions.can_view_report(user, report):
        raise Http404
    report.content_json = (
        report.content_data if report.is_frozen else reports_selectors.report_live_content(report)
    )
    return report
