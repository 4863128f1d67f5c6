"""The indicator page (/indikatorer/<code>/, served by goals): what the indicator is, the follow-ups that use
it, every stored value (filtered, paged, as CSV) and, for analysts only, the values uploads replaced."""

import csv
import io

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from clusters.models import Area
from goals.models import Measure
from goals.selectors import indicator as indicator_selectors
from indicators.models import Indicator, Observation, ObservationHistory, Upload
from tests.factories import observe

pytestmark = pytest.mark.django_db

URL = "/indikatorer/dagligrygning/"
# indicator, years, breakdowns, areas, measures, the values' count and page, the sample check.
QUERIES = 8
# The same, plus the session, the user, the permission check's groups and permissions, the history of
# uploads and the audit trail's hand corrections.
ANALYST_QUERIES = QUERIES + 6


@pytest.fixture
def smoking():
    return Indicator.objects.get(code="dagligrygning")


def _many(indicator, municipalities):
    codes = Area.objects.filter(kind=Area.Kind.MUNICIPALITY).order_by("code").values_list("code", flat=True)
    for code in list(codes)[:municipalities]:
        for year in (2013, 2017, 2021):
            observe(code, year, 18.25, 0.6, indicator=indicator)


def test_the_url_is_unchanged_and_served_by_goals_without_shadowing_uploads(smoking):
    assert smoking.get_absolute_url() == URL
    assert resolve(URL).view_name == "goals:indicator_detail"
    assert resolve("/indikatorer/upload/").view_name == "indicators:upload_list"
    assert resolve("/indikatorer/upload/3/").view_name == "indicators:upload_detail"
    assert reverse("indicators:indicator_list") == "/indikatorer/"


def test_it_shows_definition_source_unit_polarity_and_survey_years(client, smoking):
    observe("461", 2017, 18.5, 0.6, indicator=smoking)
    observe("461", 2021, 16.3, 0.6, indicator=smoking)
    html = client.get(URL).content.decode()
    assert "Ryger du?" in html
    assert "Lavere er bedre" in html
    assert smoking.get_unit_display() in html
    assert smoking.source.name in html
    assert "<dd>2017, 2021</dd>" in html
    assert "Eksempeldata" not in html


def test_it_lists_the_follow_ups_that_use_it_with_agreement_and_target(client, smoking):
    html = client.get(URL).content.decode()
    measures = Measure.objects.filter(indicator=smoking).select_related("objective__vision__agreement")
    assert measures
    for measure in measures:
        assert f'href="{reverse("goals:measure_detail", args=[measure.pk])}"' in html
        assert measure.objective.vision.agreement.title in html
    assert "13 % i 2023" in html or "13,0 %" in html or "fald" in html


def test_values_are_shown_in_danish_and_sample_values_are_marked(client, smoking):
    observe("461", 2021, 16.3, 0.6, indicator=smoking, sample=True)
    html = client.get(URL).content.decode()
    assert "16,3" in html and "15,7–16,9" in html
    assert "Eksempeldata" in html  # the banner
    assert '<span class="tag tag-sample">eksempeldata</span>' in html


def test_the_filter_is_kept_in_the_url_and_narrows_the_values(client, smoking):
    observe("461", 2017, 18.5, 0.6, indicator=smoking)
    observe("461", 2021, 16.3, 0.6, indicator=smoking)
    observe("461", 2021, 12.1, 0.6, indicator=smoking, age_group="16-24")
    observe("1083", 2021, 17.0, 0.6, indicator=smoking)
    html = client.get(URL + "?omraade=461&aar=2021&alder=16-24").content.decode()
    assert "1 værdi" in html
    assert "12,1" in html and "16,3" not in html and "17,0" not in html
    assert '<option value="461" selected>' in html
    assert 'data.csv?omraade=461&amp;aar=2021&amp;alder=16-24"' in html


def test_values_are_paged_and_the_page_links_keep_the_filter(client, smoking):
    _many(smoking, 20)  # 60 values: two pages
    html = client.get(URL + "?aar=2013").content.decode()
    assert "20 værdier" in html
    html = client.get(URL).content.decode()
    assert "60 værdier" in html and "viser 1–50" in html
    assert 'href="?side=2"' in html
    second = client.get(URL + "?side=2").content.decode()
    assert "viser 51–60" in second
    filtered = client.get(URL + "?aar=2017&side=1").content.decode()
    assert "20 værdier" in filtered


@pytest.mark.parametrize("municipalities", [2, 40])
def test_the_query_count_does_not_grow_with_the_data(
    client, smoking, django_assert_num_queries, municipalities
):
    _many(smoking, municipalities)
    with django_assert_num_queries(QUERIES):
        response = client.get(URL)
    assert response.status_code == 200


def test_the_csv_has_the_filtered_values_in_danish_conventions(client, smoking):
    observe("461", 2021, 16.3, 0.6, indicator=smoking, sample=True)
    observe("461", 2021, 12.1, 0.6, indicator=smoking, age_group="16-24")
    observe("1083", 2021, 17.0, 0.6, indicator=smoking)
    response = client.get(reverse("goals:indicator_values_csv", args=["dagligrygning"]) + "?omraade=461")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["indikator", "område", "år"] and rows[0][-1] == "eksempeldata"
    assert rows[1] == [
        "dagligrygning",
        "461",
        "2021",
        "Alle",
        "16-24",
        "Alle",
        "12,1",
        "11,5",
        "12,7",
        "",
        "nej",
    ]
    assert rows[2] == [
        "dagligrygning",
        "461",
        "2021",
        "Alle",
        "Alle",  # every age: "Alle", as for sex and education
        "Alle",
        "16,3",
        "15,7",
        "16,9",
        "",
        "ja",
    ]
    assert len(rows) == 3


def test_an_unknown_indicator_is_404(client):
    assert client.get("/indikatorer/findes-ikke/").status_code == 404


# The history of changed values: analysts only.


@pytest.fixture
def replaced(smoking, analyst):
    """An upload by the analyst that changed Odense 2021 from 16,3 to 15,9."""
    upload = Upload.objects.create(
        original_name="rygning-2021.csv",
        sha256="0" * 64,
        size=10,
        uploaded_by=analyst,
        status=Upload.Status.LOADED,
        loaded_at=timezone.now(),
    )
    observe("461", 2021, 15.9, 0.6, indicator=smoking, upload=upload)
    ObservationHistory.objects.create(
        upload=upload,
        indicator=smoking,
        area=Area.objects.get(code="461"),
        year=2021,
        sex="alle",
        age_group="alle",
        education="alle",
        value=16.3,
    )
    return upload


def test_an_analyst_sees_which_upload_changed_a_value_who_and_old_to_new(analyst_client, replaced):
    html = analyst_client.get(URL).content.decode()
    assert "Ændrede værdier" in html
    assert "rygning-2021.csv" in html
    assert reverse("indicators:upload_detail", args=[replaced.pk]) in html
    assert "anna" in html
    row = html[html.index("rygning-2021.csv") :]
    row = row[: row.index("</tr>")]
    assert "Odense" in row and "16,3" in row and "15,9" in row


def test_visitors_and_ssu_members_do_not_see_who_uploaded(client, ssu_member, replaced):
    for who in (None, ssu_member):
        if who:
            client.force_login(who)
        html = client.get(URL).content.decode()
        assert "Ændrede værdier" not in html
        assert "rygning-2021.csv" not in html and "anna" not in html


def test_the_analysts_page_has_a_fixed_query_count_too(
    analyst_client, replaced, smoking, django_assert_num_queries
):
    with django_assert_num_queries(ANALYST_QUERIES):
        analyst_client.get(URL)
    _many(smoking, 30)
    with django_assert_num_queries(ANALYST_QUERIES):
        analyst_client.get(URL)


def test_the_history_says_what_each_upload_wrote_even_when_a_later_one_replaced_it(
    smoking, replaced, analyst
):
    later = Upload.objects.create(
        original_name="rettelse.csv",
        sha256="1" * 64,
        size=10,
        uploaded_by=analyst,
        status=Upload.Status.LOADED,
        loaded_at=timezone.now(),
    )
    Observation.objects.filter(indicator=smoking, area__code="461", year=2021).update(
        value=15.5, upload=later
    )
    ObservationHistory.objects.create(
        upload=later,
        indicator=smoking,
        area=Area.objects.get(code="461"),
        year=2021,
        sex="alle",
        age_group="alle",
        education="alle",
        value=15.9,
        replaced_upload=replaced,
    )
    lines, more = indicator_selectors.indicator_history(smoking)
    assert not more
    assert [(line.upload.original_name, line.row.value, line.new_value) for line in lines] == [
        ("rettelse.csv", 15.9, 15.5),
        ("rygning-2021.csv", 16.3, 15.9),
    ]


def test_no_filter_and_the_total_are_told_apart_in_the_filter(client, smoking):
    observe("461", 2021, 16.3, 0.6, indicator=smoking)
    observe("461", 2021, 12.1, 0.6, indicator=smoking, age_group="16-24")
    html = client.get(reverse("goals:indicator_detail", args=["dagligrygning"])).content.decode()
    select = html[html.index('name="koen"') :]
    select = select[: select.index("</select>")]
    assert '<option value="" selected>Vis alle</option>' in select
    assert '<option value="alle">I alt</option>' in select
    assert select.count(">Alle<") == 0
