"""Stored statuses: computed once per data change with the status method, read for any year.

The numbers are made up for the 2019-2023 agreement's daily smoking target (19 % -> 13 % in 2023, lower is
better); the expected statuses are what `progress.evaluate` gives for the same numbers.
"""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from clusters.models import Area, ClusterMembership
from goals import progress
from goals.models import Measure, MeasureStatus
from goals.selectors import agreement_status, measure_status_for
from goals.services import measure_statuses_refresh, measure_statuses_refresh_for_indicator
from indicators.models import Observation
from tests.factories import observe

pytestmark = pytest.mark.django_db

AGREEMENT = "syddanmark-2019-2023"
REGION, DENMARK, ODENSE, FYN = "1083", "000", "461", "fyn"


@pytest.fixture
def smoking():
    return Measure.objects.select_related("target", "indicator__source").get(
        objective__vision__agreement__slug=AGREEMENT, indicator__code="dagligrygning"
    )


def _stored(measure, code, year, **breakdown):
    return measure_status_for(
        measure_ids=[measure.pk], area=Area.objects.get(code=code), year=year, **breakdown
    )[measure.pk]


def _fyn_members():
    return list(
        ClusterMembership.objects.filter(cluster__code=FYN, kind=ClusterMembership.Kind.FULL).select_related(
            "municipality"
        )
    )


def _evaluate(measure, points, year):
    return progress.evaluate(
        polarity=-1,
        target=progress.TargetSpec(kind="absolute", value=13, target_year=2023, baseline_year=None),
        points=points,
        evaluation_year=year,
        agreement_start_year=2019,
        agreement_end_year=2023,
        next_data_year=measure.indicator.source.next_round_year,
    )


def test_the_stored_status_and_explanation_are_what_the_method_gives(smoking):
    observe(REGION, 2017, 19.0, ci=0.4)
    observe(REGION, 2021, 16.0, ci=0.4)
    measure_statuses_refresh(measures=[smoking])

    stored = _stored(smoking, REGION, 2022)
    expected = _evaluate(
        smoking,
        [progress.Point(2017, 19.0, 18.6, 19.4), progress.Point(2021, 16.0, 15.6, 16.4)],
        2022,
    )
    assert stored.status == expected.status == "behind"
    assert stored.explanation == expected.explanation
    assert "fremgang, men for langsomt" in stored.explanation
    assert (stored.baseline_year, stored.latest_year, stored.as_of_year) == (2017, 2021, 2021)
    assert stored.share_achieved == pytest.approx(0.5)
    assert stored.share_time_elapsed == pytest.approx(4 / 6)


def test_the_status_in_force_is_the_newest_at_or_before_the_chosen_year(smoking):
    observe(REGION, 2017, 19.0, ci=0.4)
    observe(REGION, 2021, 16.0, ci=0.4)
    observe(REGION, 2023, 12.8, ci_low=12.8 - 0.4, ci_high=12.8 + 0.4)
    measure_statuses_refresh(measures=[smoking])

    assert _stored(smoking, REGION, 2022).status == "behind"
    assert _stored(smoking, REGION, 2024).status == "achieved"
    before = _stored(smoking, REGION, 2020)
    assert before.status == "no_data"
    # Worded for the year asked, exactly as the method words it.
    assert (
        before.explanation == _evaluate(smoking, [progress.Point(2017, 19.0, 18.6, 19.4)], 2020).explanation
    )
    assert "til og med 2020" in before.explanation


def test_a_cluster_without_an_uploaded_value_is_the_population_weighted_mean_of_its_full_members(smoking):
    members = _fyn_members()
    values = {
        2017: [20.0 + i for i in range(len(members))],
        2021: [15.0 + 2 * i for i in range(len(members))],
    }
    for year, year_values in values.items():
        for membership, value in zip(members, year_values, strict=True):
            observe(membership.municipality.code, year, value, ci=1.0)
    measure_statuses_refresh(measures=[smoking])

    stored = _stored(smoking, FYN, 2021)
    populations = [m.municipality.population for m in members]
    expected_2021 = sum(v * p for v, p in zip(values[2021], populations, strict=True)) / sum(populations)
    assert stored.latest_value == pytest.approx(expected_2021)
    assert "estimated" in stored.flags
    assert "beregnet ud fra kommunernes tal" in stored.explanation
    # An estimate has no CI, so it is not compared with the region.
    assert stored.benchmark == "not_compared"


def test_an_uploaded_cluster_value_wins_over_the_estimate(smoking):
    for membership in _fyn_members():
        observe(membership.municipality.code, 2017, 30.0)
        observe(membership.municipality.code, 2021, 30.0)
    observe(FYN, 2017, 19.0, ci=0.5)
    observe(FYN, 2021, 17.5, ci=0.5)
    measure_statuses_refresh(measures=[smoking])

    stored = _stored(smoking, FYN, 2021)
    assert (stored.baseline_value, stored.latest_value) == (19.0, 17.5)
    assert stored.flags == []


def test_areas_are_compared_with_their_benchmark(smoking):
    observe(DENMARK, 2021, 17.0, ci=0.2)
    observe(REGION, 2017, 19.0, ci=0.4)
    observe(REGION, 2021, 16.0, ci=0.4)
    observe(ODENSE, 2017, 19.0, ci=1.0)
    observe(ODENSE, 2021, 17.5, ci=1.0)
    observe(FYN, 2017, 19.0, ci=0.5)
    observe(FYN, 2021, 16.2, ci=0.5)
    measure_statuses_refresh(measures=[smoking])

    region = _stored(smoking, REGION, 2021)
    assert (region.benchmark, region.benchmark_area.code) == ("better", DENMARK)
    odense = _stored(smoking, ODENSE, 2021)
    assert (odense.benchmark, odense.benchmark_area.code) == ("worse", REGION)
    assert _stored(smoking, FYN, 2021).benchmark == "similar"


def test_a_total_population_measure_also_gets_each_sex_and_age_group_with_data(smoking):
    observe(REGION, 2017, 21.0, ci=0.5, sex="kvinder")
    observe(REGION, 2021, 18.0, ci=0.5, sex="kvinder")
    observe(REGION, 2017, 25.0, ci=1.0, age_group="16-24")
    observe(REGION, 2021, 27.0, ci=1.0, age_group="16-24")
    measure_statuses_refresh(measures=[smoking])

    assert _stored(smoking, REGION, 2021, sex="kvinder").status == "behind"
    assert _stored(smoking, REGION, 2021, age_group="16-24").status == "worsening"
    assert _stored(smoking, REGION, 2021).status == "no_data"
    assert not MeasureStatus.objects.filter(measure=smoking, area__code=REGION, sex="maend").exists()


def test_editing_a_target_recomputes_its_measures_statuses(smoking, django_capture_on_commit_callbacks):
    observe(REGION, 2017, 19.0, ci=0.4)
    observe(REGION, 2021, 16.0, ci=0.4)
    measure_statuses_refresh(measures=[smoking])
    assert _stored(smoking, REGION, 2021).status == "behind"

    with django_capture_on_commit_callbacks(execute=True):
        smoking.target.value = 16.5
        smoking.target.save()

    stored = _stored(smoking, REGION, 2021)
    assert (stored.status, stored.target_value) == ("achieved", 16.5)


def test_an_upload_recomputes_the_measures_of_its_indicators(smoking):
    observe(REGION, 2017, 19.0, ci=0.4)
    observe(REGION, 2021, 16.0, ci=0.4)
    measure_statuses_refresh_for_indicator(indicator_ids=[smoking.indicator_id])
    assert _stored(smoking, REGION, 2021).status == "behind"


def test_an_objective_is_headed_by_its_weakest_measure(smoking):
    observe(REGION, 2017, 19.0, ci=0.4)
    observe(REGION, 2021, 16.0, ci=0.4)
    indicator = "daarligt-mentalt-helbred"
    observe(REGION, 2017, 23.0, ci=1.0, indicator=indicator, sex="kvinder", age_group="16-24")
    observe(REGION, 2021, 27.0, ci=1.0, indicator=indicator, sex="kvinder", age_group="16-24")
    measure_statuses_refresh()

    status = agreement_status(
        agreement=smoking.objective.vision.agreement, area=Area.objects.get(code=REGION), year=2021
    )
    objective = next(o for o in status.objectives if o.objective == smoking.objective)
    assert [line.status for line in objective.measures] == ["behind", "worsening", "no_data"]
    assert objective.rollup.headline == "worsening"
    assert objective.rollup.counts["no_data"] == 1
    vision = next(v for v in status.visions if v.vision == smoking.objective.vision)
    assert vision.rollup.headline == "worsening"
    assert status.rule == progress.ROLLUP_RULE


def test_activity_status_measures_count_as_missing_data_until_clusters_report():
    agreement_measure = Measure.objects.filter(kind=Measure.Kind.ACTIVITY_STATUS).select_related(
        "objective__vision__agreement__area"
    )[0]
    agreement = agreement_measure.objective.vision.agreement
    status = agreement_status(agreement=agreement, area=agreement.area, year=2025)
    line = next(line for line in status.measures if line.measure == agreement_measure)
    assert line.status == "no_data"
    assert "aktivitetsstatus" in line.note


def test_goal_status_prints_every_measure_and_roll_up_as_json(smoking):
    observe(REGION, 2017, 19.0, ci=0.4)
    observe(REGION, 2021, 16.0, ci=0.4)
    MeasureStatus.objects.all().delete()  # a fresh database: the command computes the statuses itself

    out = StringIO()
    # The contract is in the method's Danish words, whatever language the process runs in.
    with translation.override("en"):
        call_command("goal_status", "--json", "--agreement", AGREEMENT, "--year", "2022", stdout=out)
    result = json.loads(out.getvalue())
    assert (result["agreement"], result["area"], result["year"]) == (AGREEMENT, REGION, 2022)
    measure = next(m for m in result["measures"] if m["id"] == smoking.pk)
    assert (measure["status"], measure["label"]) == ("behind", "Fremgang, men for langsomt")
    assert (measure["baseline_year"], measure["latest_year"], measure["target_value"]) == (2017, 2021, 13.0)
    assert measure["explanation"] == _stored(smoking, REGION, 2022).explanation
    assert {"text", "headline", "counts"} <= set(result["objectives"][0])
    assert result["rule"] == progress.in_danish(progress.ROLLUP_RULE)
    assert result["rule"].startswith("Overskriften er den svageste status")


def test_goal_status_rejects_an_unknown_agreement_or_area_in_danish():
    with pytest.raises(CommandError, match="Ukendt aftale"):
        call_command("goal_status", "--json", "--agreement", "findes-ikke", stdout=StringIO())
    with pytest.raises(CommandError, match="Ukendt område"):
        call_command("goal_status", "--json", "--area", "9999", stdout=StringIO())


def _refresh_queries(measure, municipality_count):
    Observation.objects.all().delete()
    observe(REGION, 2017, 19.0, ci=0.4)
    observe(REGION, 2021, 16.0, ci=0.4)
    municipalities = Area.objects.filter(kind=Area.Kind.MUNICIPALITY, parent__code=REGION)[
        :municipality_count
    ]
    for municipality in municipalities:
        observe(municipality.code, 2017, 19.0, ci=1.0)
        observe(municipality.code, 2021, 17.0, ci=1.0)
    with CaptureQueriesContext(connection) as queries:
        rows = measure_statuses_refresh(measures=[measure])
    return len(queries), rows


def test_refreshing_takes_the_same_number_of_queries_however_many_municipalities_have_data(smoking):
    few_queries, few_rows = _refresh_queries(smoking, 2)
    many_queries, many_rows = _refresh_queries(smoking, 10)
    assert many_rows > few_rows
    assert many_queries == few_queries
