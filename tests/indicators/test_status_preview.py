"""The preview's status changes are exactly what the load changes (issue #13, item 1).

Random uploads over sample data (a seeded generator): values up and down, confidence intervals moved,
values suppressed, new years, new areas. For each, the status changes the preview lists must equal the
difference between the stored statuses before and after the real load, row for row: regions, clusters
(estimated from their municipalities too), municipalities (whose comparison a region value moves), every
breakdown and data year. Runs on SQLite and, with DATABASE_URL set, on PostgreSQL.
"""

import random

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from clusters.models import Area
from goals.models import Measure, MeasureStatus
from goals.services import measure_statuses_refresh
from indicators import services
from indicators.models import ALL, Indicator, Observation, Upload
from indicators.preview import STATUS_CHANGES_KEPT, UploadPreview
from indicators.sample_data import IndicatorSpec, sample_rows
from indicators.services.sample_data import _measured_breakdowns, _sample_area_specs

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]

SEED = 20261203
ROUNDS = 5
# Followed by measures for the total, for age 16-24, for "Grundskole" and for women/men 16-24, in regional,
# cluster and national agreements.
CODES = ("dagligrygning", "daarligt-mentalt-helbred")
HEADER = "indikator;område;år;køn;alder;uddannelse;andel;nedre;øvre;antal svarpersoner\n"
SEX = {ALL: "Alle", "maend": "Mænd", "kvinder": "Kvinder"}
CONTRACT = (
    "measure_id",
    "agreement",
    "area",
    "sex",
    "age_group",
    "education",
    "year",
    "old_status",
    "new_status",
    "old_comparison",
    "new_comparison",
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def base(db):
    """Sample data for CODES, without some municipalities (for uploads to add), and fresh statuses."""
    rng = random.Random(SEED)
    indicators = {code: pk for pk, code in Indicator.objects.values_list("pk", "code")}
    specs = [
        IndicatorSpec(code, unit, polarity)
        for code, unit, polarity in Indicator.objects.filter(code__in=CODES).values_list(
            "code", "unit", "polarity"
        )
    ]
    areas = {code: pk for pk, code in Area.objects.values_list("pk", "code")}
    municipalities = sorted(Area.objects.filter(kind=Area.Kind.MUNICIPALITY).values_list("code", flat=True))
    missing = set(rng.sample(municipalities, 6))
    rows = [
        row
        for row in sample_rows(
            indicators=specs, areas=_sample_area_specs(), breakdowns=_measured_breakdowns(), seed=SEED
        )
        if row.area not in missing
    ]
    Observation.objects.bulk_create(
        Observation(
            indicator_id=indicators[r.indicator],
            area_id=areas[r.area],
            year=r.year,
            sex=r.sex,
            age_group=r.age_group,
            education=r.education,
            value=r.value,
            ci_low=r.ci_low,
            ci_high=r.ci_high,
            respondents=r.respondents,
            suppressed=r.suppressed,
            is_sample=True,
        )
        for r in rows
    )
    measure_statuses_refresh()
    return {"rows": rows, "missing": sorted(missing)}


def _number(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _line(code, area, year, sex, age, education, value, low, high, respondents) -> str:
    cells = [
        code,
        area,
        str(year),
        SEX[sex],
        "Alle" if age == ALL else age,
        "Alle" if education == ALL else education,
    ]
    if value is None:
        cells += ["-", "", "", ""]
    else:
        cells += [_number(value), _number(low), _number(high), str(respondents)]
    return ";".join(cells) + "\n"


def _random_upload(rng: random.Random, stored: list, missing: list[str]) -> str:
    """Some stored values moved up or down (or their interval only), some suppressed, some unchanged; new
    years for some series; the left-out municipalities for some breakdowns."""
    lines = []
    for row in rng.sample(stored, 40):
        code, area, year, sex, age, education, value, low, high, respondents = row
        kind = rng.choice(["up", "down", "interval", "suppress", "same"])
        if value is None or kind == "suppress":
            lines.append(_line(code, area, year, sex, age, education, None, None, None, None))
            continue
        shift = {"up": rng.uniform(0.5, 6), "down": -rng.uniform(0.5, 6)}.get(kind, 0.0)
        new = min(max(value + shift, 1.0), 99.0)
        width = rng.uniform(0.3, 4) if kind == "interval" else (high - low) / 2 if low is not None else 1.0
        lines.append(
            _line(
                code,
                area,
                year,
                sex,
                age,
                education,
                new,
                max(new - width, 0),
                min(new + width, 100),
                respondents or 500,
            )
        )
    for row in rng.sample(stored, 15):
        code, area, _year, sex, age, education, *_ = row
        year = rng.choice([2023, 2026])
        value = rng.uniform(5, 40)
        lines.append(_line(code, area, year, sex, age, education, value, value - 2, value + 2, 800))
    for area in rng.sample(missing, 2):
        for code in CODES:
            for year in (2017, 2021, 2025):
                for sex, age, education in ((ALL, ALL, ALL), (ALL, "16-24", ALL), ("kvinder", "16-24", ALL)):
                    value = rng.uniform(5, 40)
                    lines.append(
                        _line(code, area, year, sex, age, education, value, value - 3, value + 3, 600)
                    )
    # One line per key: a later line for the same key would be a duplicate.
    unique = {}
    for line in lines:
        unique.setdefault(tuple(line.split(";")[:6]), line)
    return HEADER + "".join(unique.values())


def _stored_observations() -> list:
    return list(
        Observation.objects.filter(indicator__code__in=CODES)
        .order_by("pk")
        .values_list(
            "indicator__code",
            "area__code",
            "year",
            "sex",
            "age_group",
            "education",
            "value",
            "ci_low",
            "ci_high",
            "respondents",
        )
    )


def _statuses() -> dict:
    slugs = dict(Measure.objects.values_list("pk", "objective__vision__agreement__slug"))
    return {
        (measure_id, slugs[measure_id], area, sex, age, education, year): (status, benchmark)
        for measure_id, area, sex, age, education, year, status, benchmark in MeasureStatus.objects.values_list(
            "measure_id", "area__code", "sex", "age_group", "education", "as_of_year", "status", "benchmark"
        )
    }


def _difference(before: dict, after: dict) -> set[tuple]:
    missing = (None, None)
    return {
        (*key, *before.get(key, missing), *after.get(key, missing))
        for key in before.keys() | after.keys()
        if before.get(key) != after.get(key)
    }


def _contract(changes) -> set[tuple]:
    # The difference's tuple order: key, then old status and comparison, then new.
    order = ("measure_id", "agreement", "area", "sex", "age_group", "education", "year")
    return {
        (
            *(c[k] for k in order),
            c["old_status"],
            c["old_comparison"],
            c["new_status"],
            c["new_comparison"],
        )
        for c in changes
    }


def test_the_preview_lists_exactly_the_status_changes_of_random_uploads(
    base, django_capture_on_commit_callbacks, analyst
):
    rng = random.Random(SEED)
    seen_kinds, seen = set(), {"comparison": 0, "breakdown": 0, "worse": 0, "better": 0}
    kinds = dict(Area.objects.values_list("code", "kind"))
    for round_number in range(ROUNDS):
        text = _random_upload(rng, _stored_observations(), base["missing"])
        with django_capture_on_commit_callbacks(execute=True):
            upload = services.upload_create(
                file=ContentFile(text.encode(), name=f"runde-{round_number}.csv"), user=analyst
            )
        upload.refresh_from_db()
        assert upload.status == Upload.Status.AWAITING_CONFIRMATION, upload.problems
        preview = UploadPreview.from_json(upload.preview)
        assert preview.status_changes_total < STATUS_CHANGES_KEPT
        before = _statuses()

        with django_capture_on_commit_callbacks(execute=True):
            services.upload_confirm(upload_id=upload.pk, user=analyst)
        after = _statuses()

        listed = [change.contract() for change in preview.status_changes]
        assert len(listed) == len(_contract(listed)), "a status change is listed twice"
        assert _contract(listed) == _difference(before, after), f"round {round_number}"
        assert preview.status_changes_total == sum(group.total for group in preview.status_change_groups)
        for change in preview.status_changes:
            seen_kinds.add(kinds[change.area])
            seen["comparison"] += change.old_comparison != change.new_comparison
            seen["breakdown"] += (change.sex, change.age_group, change.education) != (ALL, ALL, ALL)
            seen[change.direction] = seen.get(change.direction, 0) + 1
    # The random uploads did reach what the old preview missed.
    assert {"region", "cluster", "municipality", "country"} <= seen_kinds
    assert all(seen.values()), seen


def test_a_new_municipality_value_changes_its_clusters_estimated_status(
    base, django_capture_on_commit_callbacks, analyst
):
    """A cluster without values of its own is followed by the estimate from its municipalities: a new
    municipality value moves it, and the preview says so."""
    cluster = Area.objects.filter(kind=Area.Kind.CLUSTER, code__in=_scope_clusters()).order_by("code").first()
    Observation.objects.filter(area=cluster).delete()
    measure_statuses_refresh()
    member = cluster.memberships.filter(kind="full").order_by("municipality__code").first().municipality
    stored = Observation.objects.get(
        indicator__code="dagligrygning", area=member, year=2025, sex=ALL, age_group=ALL, education=ALL
    )
    text = HEADER + _line(
        "dagligrygning",
        member.code,
        2025,
        ALL,
        ALL,
        ALL,
        stored.value + 9,
        stored.value + 8,
        stored.value + 10,
        900,
    )

    with django_capture_on_commit_callbacks(execute=True):
        upload = services.upload_create(file=ContentFile(text.encode(), name="klynge.csv"), user=analyst)
    upload.refresh_from_db()

    areas = {change.area for change in UploadPreview.from_json(upload.preview).status_changes}
    assert cluster.code in areas
    assert member.code in areas


def _scope_clusters() -> list[str]:
    """Clusters some agreement follows (those in a region that has a regional agreement)."""
    from goals.models import Agreement

    regions = Agreement.objects.filter(area__kind=Area.Kind.REGION).values_list("area_id", flat=True)
    return list(
        Area.objects.filter(kind=Area.Kind.CLUSTER, parent_id__in=regions).values_list("code", flat=True)
    )


def test_import_dry_run_json_lists_the_status_changes_and_a_real_load_the_same(
    base, tmp_path, capsys, django_capture_on_commit_callbacks
):
    rng = random.Random(SEED + 1)
    path = tmp_path / "upload.csv"
    path.write_text(_random_upload(rng, _stored_observations(), base["missing"]), encoding="utf-8")

    call_command("import_indicators", str(path), "--dry-run", "--json")
    dry = _json(capsys)
    before = _statuses()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_indicators", str(path), "--json")
    real = _json(capsys)

    assert dry["status_changes"] and set(CONTRACT) <= set(dry["status_changes"][0])
    assert _contract(dry["status_changes"]) == _difference(before, _statuses())
    assert [c["measure_id"] for c in real["status_changes"]] == [
        c["measure_id"] for c in dry["status_changes"]
    ]
    assert dry["status_changes_total"] == len(dry["status_changes"])


def _json(capsys) -> dict:
    import json

    return json.loads(capsys.readouterr().out)
