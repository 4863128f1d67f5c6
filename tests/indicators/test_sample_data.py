"""Sample data ("eksempeldata"): the pure generator on a small hand-made geography, and one full
generation against the bootstrapped database, shared by the database tests of this module."""

from types import SimpleNamespace

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Sum

from clusters.models import Area
from goals.models import Measure
from indicators.models import ALL, Indicator, Observation
from indicators.sample_data import SURVEY_ROUNDS, AreaSpec, Breakdown, IndicatorSpec, sample_rows
from indicators.services import sample_data as services
from indicators.services import sample_data_generate

SEED = 2024
INDICATORS = [
    IndicatorSpec("dagligrygning", "percent", -1),
    IndicatorSpec("daarligt-mentalt-helbred", "percent", -1),
    IndicatorSpec("selvvurderet-helbred-godt", "percent", 1),
    IndicatorSpec("forskel-middellevetid-psykisk", "years", -1),
    IndicatorSpec("akutte-indlaeggelser-aeldre", "per_1000", -1),
]
# One region with a large, a middle and a tiny municipality; the cluster's full members are the
# first two (the caller leaves political-only members out).
AREAS = [
    AreaSpec("000", "country"),
    AreaSpec("1083", "region", "000"),
    AreaSpec("461", "municipality", "1083", 204_182),
    AreaSpec("479", "municipality", "1083", 58_599),
    AreaSpec("563", "municipality", "1083", 3_404),
    AreaSpec("fyn", "cluster", "1083", members=("461", "479")),
]
# Young women aged 16-17 in a municipality are far fewer than 20 respondents.
TINY_CELL = Breakdown(sex="kvinder", age_group="16-17")


def generate(seed=SEED, breakdowns=None):
    return list(sample_rows(indicators=INDICATORS, areas=AREAS, seed=seed, breakdowns=breakdowns))


def total(rows, indicator, area, year):
    (row,) = [
        r
        for r in rows
        if (r.indicator, r.area, r.year) == (indicator, area, year)
        and (r.sex, r.age_group, r.education) == (ALL, ALL, ALL)
    ]
    return row


def value(rows, indicator, area, year, **breakdown):
    wanted = tuple(Breakdown(**breakdown))
    (row,) = [
        r
        for r in rows
        if (r.indicator, r.area, r.year) == (indicator, area, year)
        and (r.sex, r.age_group, r.education) == wanted
    ]
    return row.value


def test_the_same_seed_gives_identical_values():
    assert generate(seed=7) == generate(seed=7)


def test_a_different_seed_gives_different_values():
    first, second = generate(seed=7), generate(seed=8)
    assert [r.value for r in first] != [r.value for r in second]
    assert [r[:6] for r in first] == [r[:6] for r in second]  # same keys, other values


def test_every_ci_contains_its_value_and_percentages_stay_within_0_and_100():
    rows = generate(breakdowns={i.code: [TINY_CELL] for i in INDICATORS})
    published = [r for r in rows if not r.suppressed]
    assert all(r.ci_low <= r.value <= r.ci_high for r in published)
    percent = {i.code for i in INDICATORS if i.unit == "percent"}
    assert all(r.ci_low >= 0 and r.ci_high <= 100 for r in published if r.indicator in percent)
    assert all(r.ci_low >= 0 for r in published)


def test_denmark_and_regions_get_sex_by_age_but_municipalities_and_clusters_do_not():
    rows = generate()
    keys = {(r.area, r.sex, r.age_group) for r in rows if r.indicator == "dagligrygning" and r.year == 2021}
    assert ("000", "kvinder", "16-24") in keys
    assert ("1083", "maend", "75+") in keys
    assert ("461", "kvinder", "16-24") not in keys
    assert ("fyn", "kvinder", "16-24") not in keys
    assert {("461", "kvinder", ALL), ("461", ALL, "75+"), ("fyn", ALL, "16-24")} <= keys


def test_a_breakdown_a_measure_follows_is_generated_for_every_area():
    rows = generate(breakdowns={"dagligrygning": [Breakdown(education="Grundskole")]})
    areas = {r.area for r in rows if r.indicator == "dagligrygning" and r.education == "Grundskole"}
    assert areas == {a.code for a in AREAS}
    # People with only primary school smoke more than everyone taken together.
    assert (
        value(rows, "dagligrygning", "000", 2017, education="Grundskole")
        > total(rows, "dagligrygning", "000", 2017).value
    )


def test_cells_with_fewer_than_20_respondents_are_suppressed_without_a_value():
    rows = generate(breakdowns={"dagligrygning": [TINY_CELL]})
    tiny = [r for r in rows if (r.sex, r.age_group) == tuple(TINY_CELL)[:2]]
    suppressed = [r for r in tiny if r.suppressed]
    assert {(r.area, r.year) for r in suppressed} >= {("563", year) for year in SURVEY_ROUNDS}
    assert all(r.respondents < 20 and r.value is r.ci_low is r.ci_high is None for r in suppressed)
    assert all(r.value is not None for r in tiny if r.respondents >= 20)
    assert not any(r.suppressed for r in tiny if r.area == "000")


def test_a_cluster_total_is_the_population_weighted_mean_of_its_full_members():
    rows = generate()
    for year in SURVEY_ROUNDS:
        odense, svendborg = (
            total(rows, "dagligrygning", "461", year),
            total(rows, "dagligrygning", "479", year),
        )
        cluster = total(rows, "dagligrygning", "fyn", year)
        expected = (204_182 * odense.value + 58_599 * svendborg.value) / (204_182 + 58_599)
        assert cluster.value == pytest.approx(expected, abs=0.051)
        assert cluster.respondents == odense.respondents + svendborg.respondents
        assert cluster.ci_low <= cluster.value <= cluster.ci_high


def test_the_national_levels_look_like_sundhedsprofilen():
    rows = generate()
    smoking = [total(rows, "dagligrygning", "000", year).value for year in SURVEY_ROUNDS]
    assert smoking[2] == pytest.approx(17, abs=1)  # 2017
    assert smoking[0] > smoking[-1]
    assert total(rows, "forskel-middellevetid-psykisk", "000", 2021).value == pytest.approx(15, abs=2)
    # A municipality's sample is a few thousand at most, its smallest around a thousand.
    assert 800 <= total(rows, "dagligrygning", "563", 2017).respondents < 1_500
    assert 3_000 <= total(rows, "dagligrygning", "461", 2017).respondents <= 6_000


def test_poor_mental_health_among_young_women_rises_as_the_agreement_says():
    rows = generate()
    women_2010 = value(rows, "daarligt-mentalt-helbred", "000", 2010, sex="kvinder", age_group="16-24")
    women_2021 = value(rows, "daarligt-mentalt-helbred", "000", 2021, sex="kvinder", age_group="16-24")
    men_2021 = value(rows, "daarligt-mentalt-helbred", "000", 2021, sex="maend", age_group="16-24")
    assert women_2010 == pytest.approx(16, abs=1.5)
    assert women_2021 == pytest.approx(35, abs=1.5)
    assert men_2021 == pytest.approx(20, abs=1.5)


# --- Against the database: one generation for the module, rolled back at the end ---------------------


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        real = Observation.objects.create(
            indicator=Indicator.objects.get(code="dagligrygning"),
            area=Area.objects.get(code="461"),
            year=2021,
            value=12.3,
            ci_low=11.1,
            ci_high=13.5,
            respondents=2345,
        )
        written = sample_data_generate(seed=SEED)
        yield SimpleNamespace(written=written, real=real)
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_every_indicator_has_values_for_denmark_every_region_cluster_and_municipality_in_every_round(
    generated,
):
    areas = set(
        Area.objects.filter(kind__in=["country", "region", "municipality"]).values_list("code", flat=True)
    )
    areas |= set(Area.objects.filter(kind="cluster", parent__code="1083").values_list("code", flat=True))
    assert len(areas) == 1 + 5 + 98 + 4
    expected = {
        (i, a, y)
        for i in Indicator.objects.values_list("code", flat=True)
        for a in areas
        for y in SURVEY_ROUNDS
    }
    stored = set(
        Observation.objects.filter(sex=ALL, age_group=ALL, education=ALL, suppressed=False).values_list(
            "indicator__code", "area__code", "year"
        )
    )
    assert expected <= stored


@pytest.mark.django_db
def test_respondents_add_up_to_a_national_survey(generated):
    def respondents(area):
        return Observation.objects.get(
            indicator__code="dagligrygning", area__code=area, year=2017, sex=ALL, age_group=ALL, education=ALL
        ).respondents

    assert 150_000 < respondents("000") < 220_000
    assert 15_000 < respondents("1083") < 60_000
    assert 800 < respondents("563") < respondents("461") <= 6_000


@pytest.mark.django_db
def test_every_generated_row_is_marked_as_sample_data(generated):
    assert Observation.objects.filter(is_sample=True).count() == generated.written
    assert list(Observation.objects.filter(is_sample=False)) == [generated.real]


@pytest.mark.django_db
def test_stored_percentages_stay_within_0_and_100(generated):
    percentages = Observation.objects.filter(indicator__unit=Indicator.Unit.PERCENT, suppressed=False)
    assert not percentages.filter(value__lt=0).exists()
    assert not percentages.filter(ci_high__gt=100).exists()
    assert not percentages.filter(ci_low__lt=0).exists()


@pytest.mark.django_db
def test_every_breakdown_a_measure_follows_has_values_for_every_area(generated):
    followed = set(
        Measure.objects.filter(kind=Measure.Kind.INDICATOR)
        .exclude(sex=ALL, age_group=ALL, education=ALL)
        .values_list("indicator__code", "sex", "age_group", "education")
    )
    assert ("dagligrygning", ALL, ALL, "Grundskole") in followed
    area_count = Area.objects.count()
    for indicator, sex, age_group, education in followed:
        areas = Observation.objects.filter(
            indicator__code=indicator, year=2021, sex=sex, age_group=age_group, education=education
        ).values("area")
        assert areas.count() == area_count, (indicator, sex, age_group, education)


@pytest.mark.django_db
def test_lillebaelt_counts_its_full_members_but_not_vejen_at_the_political_level(generated):
    def totals(code):
        return Observation.objects.get(
            indicator__code="svaer-overvaegt",
            area__code=code,
            year=2017,
            sex=ALL,
            age_group=ALL,
            education=ALL,
        )

    members = {code: Area.objects.get(code=code).population for code in ["607", "621", "410", "630"]}
    rows = {code: totals(code) for code in members}
    lillebaelt = totals("lillebaelt")
    expected = sum(members[c] * rows[c].value for c in members) / sum(members.values())
    assert lillebaelt.value == pytest.approx(expected, abs=0.051)
    assert lillebaelt.respondents == sum(row.respondents for row in rows.values())


@pytest.mark.django_db
def test_a_real_observation_is_not_overwritten(generated):
    generated.real.refresh_from_db()
    assert (generated.real.value, generated.real.is_sample, generated.real.respondents) == (12.3, False, 2345)
    same_key = Observation.objects.filter(
        indicator__code="dagligrygning", area__code="461", year=2021, sex=ALL, age_group=ALL, education=ALL
    )
    assert list(same_key) == [generated.real]


@pytest.mark.django_db
def test_generating_again_without_replace_fails_clearly_and_changes_nothing(generated):
    before = Observation.objects.aggregate(total=Sum("value"))["total"], Observation.objects.count()
    with pytest.raises(CommandError, match="--replace"):
        call_command("generate_sample_data", seed=SEED + 1)
    assert (Observation.objects.aggregate(total=Sum("value"))["total"], Observation.objects.count()) == before


@pytest.mark.django_db
def test_replace_swaps_the_sample_data_and_keeps_real_values(generated, monkeypatch, capsys):
    # One indicator is enough to see the swap, and keeps this test from writing 100,000 rows again.
    def one_indicator(**kwargs):
        return sample_rows(
            **{**kwargs, "indicators": [i for i in kwargs["indicators"] if i.code == "dagligrygning"]}
        )

    monkeypatch.setattr(services, "sample_rows", one_indicator)
    call_command("generate_sample_data", seed=SEED + 1, replace=True)
    written = Observation.objects.filter(is_sample=True).count()
    assert capsys.readouterr().out.strip() == f"{written} eksempelværdier genereret (frø {SEED + 1})."
    assert set(Observation.objects.filter(is_sample=True).values_list("indicator__code", flat=True)) == {
        "dagligrygning"
    }
    assert Observation.objects.filter(pk=generated.real.pk, value=12.3, is_sample=False).exists()
