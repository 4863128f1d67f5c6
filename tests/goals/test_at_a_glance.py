"""Issue 12, part B: what an SSU member sees at a glance.

Plain explanations with their numbers behind "Detaljer" in the page's language; the area profile (values beside
the region's and the country's, the right comparison label, a spine chart); the cluster's approved activity
status on the agreement page; years before an agreement starts; where targets and baseline years come from;
the catalogue's corrections.

Made-up numbers for daily smoking in the 2019-2023 agreement (19 % -> 13 % in 2023, lower is better).
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from clusters.models import Area
from goals.models import Agreement, Measure, NationalGoal
from goals.services import measure_statuses_refresh, national_goals_load, reporting
from indicators import charts
from indicators.models import Indicator, Observation

pytestmark = pytest.mark.django_db

OLD = "syddanmark-2019-2023"
NEW = "syddanmark-2024-2027"


def _observe(code, year, value, ci):
    Observation.objects.create(
        indicator=Indicator.objects.get(code="dagligrygning"),
        area=Area.objects.get(code=code),
        year=year,
        value=value,
        ci_low=round(value - ci, 1),
        ci_high=round(value + ci, 1),
    )


@pytest.fixture
def smoking():
    """Denmark, the region, the Fyn cluster and Odense in 2017 and 2021; Odense falls clearly (z > 1.96)."""
    for code, v2017, v2021 in [("000", 17.0, 15.2), ("1083", 19.0, 16.5), ("fyn", 18.0, 16.4)]:
        _observe(code, 2017, v2017, 0.4)
        _observe(code, 2021, v2021, 0.4)
    _observe("461", 2017, 18.5, 0.6)
    _observe("461", 2021, 14.0, 0.6)
    measure_statuses_refresh()
    return Measure.objects.get(objective__vision__agreement__slug=OLD, indicator__code="dagligrygning")


@pytest.fixture(autouse=True)
def _back_to_danish():
    yield
    translation.deactivate()


def _measure_url(measure, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("goals:measure_detail", args=[measure.pk]) + (f"?{query}" if query else "")


def _area_url(code, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("goals:area_detail", args=[code]) + (f"?{query}" if query else "")


# Plain language


def test_an_explanation_starts_with_a_plain_sentence_and_keeps_the_rule_behind_detaljer(client, smoking):
    html = client.get(_measure_url(smoking, omraade="461", aar=2023)).content.decode()
    plain = html.index('<p class="explanation-plain">')
    details = html.index('<details class="explanation-details"><summary>Detaljer</summary>')
    assert plain < details
    assert (
        '<p class="explanation-plain">Andelen er faldet fra 18,5 % i 2017 til 14,0 % i 2021. '
        "Faldet er større, end det kan skyldes tilfældigheder"
    ) in html
    # The rule and its numbers are only in the folded details.
    assert "af den ønskede ændring er nået" not in html[plain:details]
    assert "82 % af den ønskede ændring er nået, og 67 % af tiden er gået" in html[details:]


def test_an_english_page_writes_the_explanations_numbers_in_english(client, smoking):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(_measure_url(smoking, omraade="461", aar=2023)).content.decode()
    plain = html[html.index('<p class="explanation-plain">') :][:300]
    assert "18.5 %" in plain and "14.0 %" in plain
    assert "18,5" not in plain
    # The JSON contracts keep the Danish text whatever the reader's language.
    row = smoking.statuses.filter(area__code="461", as_of_year=2021).get()
    assert row.explanation.startswith("Andelen er faldet fra 18,5 % i 2017")


def test_an_english_page_explains_in_english_words(client, smoking):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(_measure_url(smoking, omraade="461", aar=2023)).content.decode()
    plain = html[html.index('<p class="explanation-plain">') :][:300]
    assert "Andelen" not in plain and "tilfældigheder" not in plain
    assert "<summary>Details</summary>" in html


# The area profile


def test_a_municipalitys_profile_shows_its_value_beside_the_regions_and_the_countrys(client, smoking):
    html = client.get(_area_url("461", aar=2023)).content.decode()
    row = html[html.index(smoking.follow_up_text) :][:4000]
    # Odense 14,0 (13,4-14,6) in 2021, the region 16,5, the country 15,2.
    assert "14,0 %" in row and "(13,4–14,6)" in row
    assert "16,5 %" in row and "15,2 %" in row
    assert '<th role="columnheader" scope="col" class="num">Region Syddanmark</th>' in html
    assert '<th role="columnheader" scope="col">Sammenlignet med regionen</th>' in html
    assert "Region Syddanmark er sammenligningsområdet." in html
    # A spine chart with its text alternative: better to the right, the range of the region's municipalities.
    assert 'class="spine"' in row and 'role="img"' in row
    assert "Odense: 14,0 % (13,4–14,6 %); Region Syddanmark: 16,5 %; Hele landet: 15,2 %" in row


def test_a_regions_profile_compares_with_the_whole_country_and_says_so(client, smoking):
    html = client.get(_area_url("1083", aar=2023)).content.decode()
    assert "Sammenlignet med regionen" not in html
    assert '<th role="columnheader" scope="col">Sammenlignet med hele landet</th>' in html
    assert "En region sammenlignes med hele landet." in html
    row = html[html.index(smoking.follow_up_text) :][:4000]
    assert "16,5 %" in row and "15,2 %" in row
    # Region Syddanmark 16,5 (16,1-16,9) against the country's 15,2: worse (lower is better).
    assert "Dårligere" in row


def test_the_spine_puts_better_to_the_right_whatever_the_polarity():
    lower_is_better = charts.spine(
        value=14.0,
        ci_low=13.4,
        ci_high=14.6,
        polarity=-1,
        unit="percent",
        comparison="better",
        area_name="Odense",
        benchmark=("Region Syddanmark", 16.5),
        peers=[14.0, 18.0, 20.0, 22.0],
        peers_name="regionens kommuner",
    )
    higher_is_better = charts.spine(
        value=14.0,
        ci_low=13.4,
        ci_high=14.6,
        polarity=1,
        unit="percent",
        comparison="worse",
        area_name="Odense",
        benchmark=("Region Syddanmark", 16.5),
    )
    assert lower_is_better.area_x > lower_is_better.benchmark_x
    assert higher_is_better.area_x < higher_is_better.benchmark_x
    assert "regionens kommuner fra 14,0 % til 22,0 %" in lower_is_better.label
    assert (
        charts.spine(
            value=None, ci_low=None, ci_high=None, polarity=1, unit="percent", comparison="", area_name="x"
        )
        is None
    )


def test_a_year_before_the_agreement_says_so_instead_of_missing_data(client, smoking):
    html = client.get(_area_url("461", aar=2021)).content.decode()
    assert "Aftalen gælder fra 2024; vælg 2024 eller senere." in html
    measure = Measure.objects.get(objective__vision__agreement__slug=NEW, indicator__code="dagligrygning")
    html = client.get(_measure_url(measure, omraade="461", aar=2021)).content.decode()
    status = html[html.index('id="status-heading"') :][:600]
    assert "Aftalen gælder fra 2024; vælg 2024 eller senere." in status
    assert "Mangler data" not in status


def test_the_year_field_shows_the_year_the_page_is_evaluated_for(client, smoking):
    year = timezone.localdate().year
    for url in (_area_url("461"), _measure_url(smoking), _measure_url(smoking, omraade="461")):
        html = client.get(url).content.decode()
        assert f'name="aar" value="{year}"' in html, url
        assert f"vurderet i {year}" in html, url


def test_area_names_link_to_their_profile(client, smoking):
    html = client.get(_measure_url(smoking, omraade="461", aar=2023)).content.decode()
    assert f'<a href="{_area_url("fyn")}">Sundhedsklynge Fyn</a>' in html
    assert f'href="{_area_url("461")}?aar=2023">Profil for Odense</a>' in html
    agreement = client.get(reverse("goals:agreement_detail", args=[OLD]) + "?omraade=461&aar=2023")
    assert f'href="{_area_url("461")}?aar=2023"' in agreement.content.decode()
    cluster = client.get(reverse("clusters:cluster_detail", args=["fyn"])).content.decode()
    assert f'<a href="{_area_url("461")}">Odense</a>' in cluster
    assert f'<a href="{_area_url("1083")}">Region Syddanmark</a>' in cluster


# The cluster's approved activity status


def test_with_a_cluster_chosen_an_activity_follow_up_shows_its_approved_report(
    client, ssu_secretary, fyn_secretary
):
    round_ = reporting.reporting_round_open(
        agreement=Agreement.objects.get(slug=NEW),
        year=2025,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        user=ssu_secretary,
    )
    report = round_.reports.filter(cluster__code="fyn").order_by(
        "objective__vision__order", "objective__order"
    )[0]
    reporting.activity_report_save(
        report_id=report.pk,
        user=fyn_secretary,
        version=report.version,
        assessment="partly_on_plan",
        narrative="x",
        activities=[reporting.ActivityInput(title="A")],
    )
    reporting.activity_report_submit(report_id=report.pk, user=fyn_secretary)
    reporting.activity_report_approve(report_id=report.pk, user=ssu_secretary)

    html = client.get(
        reverse("goals:agreement_detail", args=[NEW]) + "?omraade=fyn&aar=2025"
    ).content.decode()
    objective = html[html.index(f"<h4>{report.objective.text}</h4>") :]
    objective = objective[: objective.index("</ul>")]
    assert f'<a class="report-badge" href="{report.get_absolute_url()}">' in objective
    assert "Delvist på plan" in objective
    # The objective has no indicator follow-up: no "Mangler data" beside the cluster's approved status.
    assert "Mangler data" not in objective
    # Another cluster has no approved report: its page still shows the status as missing.
    html = client.get(reverse("goals:agreement_detail", args=[NEW]) + "?omraade=lillebaelt&aar=2025")
    other = html.content.decode()
    assert 'class="report-badge"' not in other


# Provenance


def test_the_measure_page_says_when_the_baseline_year_is_our_choice(client):
    kkr = Measure.objects.get(
        objective__vision__agreement__slug="kkr-syddanmark-2025", indicator__code="behov-for-behandling"
    )
    html = client.get(_measure_url(kkr)).content.decode()
    assert "Hvad står i aftalen, og hvad har vi valgt?" in html
    assert "Basisåret står ikke i aftaleteksten; vi har valgt 2017." in html
    assert "Om målet: Basisår er ikke angivet i teksten" in html
    new = Measure.objects.get(objective__vision__agreement__slug=NEW, indicator__code="dagligrygning")
    html = client.get(_measure_url(new)).content.decode()
    assert "Aftaleteksten nævner intet basisår; vi måler fra det seneste tal i 2024 eller før." in html
    assert "Opfølgningen er skrevet af os" not in html


def test_midtjyllands_follow_ups_are_marked_as_chosen_by_us(client):
    measures = Measure.objects.filter(objective__vision__agreement__slug="midtjylland-2019-2023-udspil")
    assert measures.count() == 3
    assert not any(m.follow_up_is_quote for m in measures)
    html = client.get(_measure_url(measures.first())).content.decode()
    assert "ikke citeret fra aftaleteksten" in html
    assert "Opfølgningen er skrevet af os; den er ikke citeret fra aftaleteksten." in html
    assert "Udspillet nævner ingen indikatorer" in html


def test_national_goal_8_is_worded_as_the_goals_are_and_bootstrap_corrects_old_rows():
    NationalGoal.objects.filter(number=8).update(title="En mere effektiv sundhedsvæsen")
    national_goals_load()
    assert NationalGoal.objects.get(number=8).title == "Et mere effektivt sundhedsvæsen"


def test_the_0_29_kram_indicator_does_not_claim_sundhedsprofilen_as_its_only_source(client):
    indicator = Indicator.objects.get(code="kram-mental-uhensigtsmaessig-0-29")
    assert indicator.source.code != "sundhedsprofilen"
    assert "16 år og derover" in indicator.notes
    html = client.get(indicator.get_absolute_url()).content.decode()
    assert "Sundhedsprofilen spørger kun personer på 16 år og derover" in html
