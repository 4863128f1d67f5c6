"""The overview's small trend per follow-up: the pure SVG builder (indicators/charts/sparkline.py), then the
agreement page that draws one per indicator follow-up in a single query.

Numbers: the status method's worked example for daily smoking (18,5 % in 2017, 15,0 % in 2021) with 2013.
"""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from goals.models import Measure
from goals.services import measure_statuses_refresh
from indicators import charts
from indicators.charts import Value
from tests.factories import observe

pytestmark = pytest.mark.usefixtures("empty_page_cache")

SMOKING = (Value(2013, 19.9), Value(2017, 18.5), Value(2021, 15.0))


def test_the_points_span_the_box_oldest_left_and_highest_value_on_top():
    line = charts.sparkline(SMOKING, name="Dagligrygning", unit="percent", width=120, height=32)
    # Padding 4: x from 4 to 116 by year (2013 -> 2021), y from 4 (19,9) to 28 (15,0).
    assert line.points == ((4.0, 4.0), (60.0, 10.9), (116.0, 28.0))
    assert [v.year for v in line.values] == [2013, 2017, 2021]


def test_the_text_alternative_names_every_year_and_value_with_a_decimal_comma():
    line = charts.sparkline(reversed(SMOKING), name="Dagligrygning", unit="percent")
    assert line.label == "Dagligrygning 2013: 19,9 %, 2017: 18,5 %, 2021: 15,0 %"
    svg = str(line.svg)
    assert 'role="img"' in svg
    assert f'aria-label="{line.label}"' in svg
    assert re.search(r'<polyline points="4,4 60,10.9 116,28"', svg)


def test_sample_values_are_marked_in_the_text_alternative():
    line = charts.sparkline([Value(2017, 18.5), Value(2021, 15.0, is_sample=True)], name="X", unit="years")
    assert line.is_sample
    assert line.label == "X 2017: 18,5 år, 2021: 15,0 år (eksempeldata)"


def test_one_value_is_a_dot_in_the_middle_and_no_values_is_no_sparkline():
    line = charts.sparkline([Value(2021, 15.0), Value(2023, None)], name="X", unit="percent")
    assert line.points == ((60.0, 16.0),)
    assert "<polyline" not in str(line.svg)
    assert charts.sparkline([Value(2021, None)], name="X", unit="percent") is None


def test_the_name_is_escaped_in_the_markup():
    svg = str(charts.sparkline([Value(2021, 1.0)], name='<b>"x"</b>', unit="count").svg)
    assert "<b>" not in svg and "&lt;b&gt;&quot;x&quot;" in svg


# The agreement page.

AGREEMENT = "syddanmark-2019-2023"


@pytest.mark.django_db
def test_the_overview_draws_the_chosen_areas_trend_with_its_text(client):
    for year, value in [(2013, 19.9), (2017, 18.5), (2021, 15.0)]:
        observe("461", year, value)
        observe("1083", year, value + 1)
    measure_statuses_refresh()
    url = reverse("goals:agreement_detail", args=[AGREEMENT]) + "?omraade=461&aar=2023"
    html = client.get(url).content.decode()
    # Every value, then the baseline and the target the status is measured against (both drawn as marks).
    assert (
        'aria-label="Dagligrygning, Odense 2013: 19,9 %, 2017: 18,5 %, 2021: 15,0 %; '
        'udgangspunkt 2017: 18,5 %; mål 13,0 % i 2023"'
    ) in html
    assert '<span class="trend-range">2013–2021</span>' in html
    assert 'class="spark-baseline"' in html and 'class="spark-target"' in html


@pytest.mark.django_db
def test_sample_trends_are_marked_as_eksempeldata(client):
    observe("1083", 2017, 18.5, sample=True)
    observe("1083", 2021, 15.0, sample=True)
    measure_statuses_refresh()
    html = client.get(reverse("goals:agreement_detail", args=[AGREEMENT])).content.decode()
    trend = re.search(r'<div class="trend">.*?</div>', html).group(0)
    assert "(eksempeldata)" in trend and '<span class="tag tag-sample">eksempeldata</span>' in trend


@pytest.mark.django_db
def test_the_trends_cost_one_query_however_many_follow_ups_have_data(client, django_assert_num_queries):
    url = reverse("goals:agreement_detail", args=[AGREEMENT]) + "?omraade=1083&aar=2023"
    observe("1083", 2017, 18.5)
    measure_statuses_refresh()
    cache.clear()
    with django_assert_num_queries(15) as few:  # 14 + the published status reports
        client.get(url)
    codes = set(
        Measure.objects.filter(
            objective__vision__agreement__slug=AGREEMENT, indicator__isnull=False
        ).values_list("indicator__code", flat=True)
    )
    for code in codes - {"dagligrygning"}:
        for year in (2013, 2017, 2021):
            observe("1083", year, 40.0, indicator=code)
    measure_statuses_refresh()
    cache.clear()
    with django_assert_num_queries(15) as many:
        html = client.get(url).content.decode()
    assert html.count('class="sparkline"') > 2
    trend_queries = [q["sql"] for q in many.captured_queries if "indicators_observation" in q["sql"]]
    assert len(trend_queries) == 2, trend_queries  # the trends and the sample check
    assert len(few.captured_queries) == len(many.captured_queries)
