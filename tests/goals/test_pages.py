"""The pages a newcomer sees after `make run`: the agreements as worded in the texts, and the clusters."""

import re

import pytest
from django.db import OperationalError
from django.urls import reverse

from goals.models import Agreement, Objective, Vision
from tests.factories import observe

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_page_cache")]


SLUGS = [
    "syddanmark-2024-2027",
    "kkr-syddanmark-2025",
    "syddanmark-2019-2023",
    "danske-regioner-regionale-maal",
    "midtjylland-2019-2023-udspil",
]


def test_the_front_page_lists_every_agreement_with_a_link(client, django_assert_num_queries):
    # The agreements, their measures, their statuses (the counts per status), the areas for the search, the
    # sample-data check and the newest published status reports (reports/includes/report_links.html): the
    # same six whatever the number of agreements, measures or statuses.
    with django_assert_num_queries(6):
        response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for agreement in Agreement.objects.all():
        assert agreement.title in html
        assert f'href="{agreement.get_absolute_url()}"' in html
    assert 'lang="da"' in html


@pytest.mark.parametrize("slug", SLUGS)
def test_an_agreement_page_shows_every_vision_objective_and_follow_up(
    client, slug, django_assert_num_queries
):
    agreement = Agreement.objects.get(slug=slug)
    # The data version and the area codes (the page cache's key; the cache is empty); the tree: agreement,
    # visions, focus areas, objectives, measures(+indicator, target), national goals x2, sections; the area
    # picker; the roll-up reuses that tree and reads only the stored statuses; the trends; the sample check.
    # An agreement followed up by activity status also reads its newest reporting round and its clusters.
    # The last: its published status reports.
    activity = agreement.visions.filter(objectives__measures__kind="activity_status").exists()
    with django_assert_num_queries(15 + (2 if activity else 0)):
        response = client.get(reverse("goals:agreement_detail", args=[slug]))
    assert response.status_code == 200
    html = response.content.decode()
    for vision in Vision.objects.filter(agreement=agreement):
        assert vision.title in html
    for objective in Objective.objects.filter(vision__agreement=agreement).prefetch_related("measures"):
        assert objective.text in html
        for measure in objective.measures.all():
            assert measure.follow_up_text in html


def test_the_2024_2027_page_shows_the_direction_and_the_activity_follow_up(client):
    html = client.get(reverse("goals:agreement_detail", args=["syddanmark-2024-2027"])).content.decode()
    assert "Vi samarbejder om at udvikle det samlede sundhedsvæsen og skabe lighed i sundhed" in html
    assert "Vi måler på, om andelen af syddanske borgere, der ryger dagligt, bliver mindre." in html
    assert "Årlig aktivitetsstatus fra sundhedsklyngerne" in html
    assert "lavere er bedre" in html


def test_a_kkr_target_is_shown_in_danish(client):
    html = client.get(reverse("goals:agreement_detail", args=["kkr-syddanmark-2025"])).content.decode()
    assert "90 % i 2025" in html
    assert "fald på 15 % fra basisåret 2017 til 2025" in html


def test_an_unknown_agreement_is_404(client):
    assert client.get("/aftaler/findes-ikke/").status_code == 404


def test_a_cluster_page_lists_its_municipalities_and_vejens_double_membership(
    client, django_assert_num_queries
):
    # Cluster, its memberships (+municipality), those municipalities' memberships (+cluster).
    with django_assert_num_queries(3):
        response = client.get(reverse("clusters:cluster_detail", args=["lillebaelt"]))
    html = response.content.decode()
    for name in ["Fredericia", "Kolding", "Middelfart", "Vejle", "Vejen"]:
        # Each municipality's name links to its area profile.
        assert re.search(rf'<th scope="row"><a href="/omraader/\d+/">{name}</a></th>', html), name
    assert "Kun politisk niveau" in html
    assert "Sundhedsklynge Sydvestjylland" in html  # Vejen's full membership, linked from Lillebælt
    assert "Sygehus Lillebælt (Kolding)" in html


def test_the_cluster_list_shows_all_four_clusters(client):
    html = client.get(reverse("clusters:cluster_list")).content.decode()
    for name in ["Fyn", "Lillebælt", "Sydvestjylland", "Sønderjylland"]:
        assert f"Sundhedsklynge {name}" in html


def test_an_unknown_cluster_is_404(client):
    assert client.get("/klynger/odense/").status_code == 404


def test_the_indicator_page_shows_definition_and_polarity(client):
    html = client.get(reverse("goals:indicator_detail", args=["dagligrygning"])).content.decode()
    assert "Ryger du?" in html
    assert "Lavere er bedre" in html
    assert "Der er endnu ingen data" in html
    assert "Eksempeldata" not in html


def test_the_indicator_page_labels_generated_values_as_eksempeldata(client):
    from clusters.models import Area
    from indicators.models import Indicator, Observation

    indicator = Indicator.objects.get(code="dagligrygning")
    Observation.objects.create(
        indicator=indicator,
        area=Area.objects.get(code="461"),
        year=2021,
        value=16.3,
        ci_low=15.1,
        ci_high=17.6,
        is_sample=True,
    )
    html = client.get(indicator.get_absolute_url()).content.decode()
    assert "Eksempeldata" in html  # the banner
    assert "eksempeldata</span>" in html  # beside the figures


def test_pages_load_no_asset_from_the_internet(client):
    for url in ["/", reverse("goals:agreement_detail", args=["syddanmark-2024-2027"]), "/klynger/fyn/"]:
        html = client.get(url).content.decode()
        assert "http://" not in html and "https://" not in html, url


def test_the_interface_can_be_switched_to_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert 'lang="en"' in response.content.decode()


def test_healthz_answers_200_when_the_database_is_reachable(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"]) == ("ok", "ok")
    assert "redis" in body and "worker" in body  # see tests/security/test_redis_down.py


def test_healthz_answers_503_when_the_database_is_down(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("sundhedsaftale.views.connection.cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503


def test_the_interface_is_danish_even_for_an_english_browser(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert 'lang="da"' in html
    assert "Sundhedsaftaler og deres mål" in html


def _status_fixture():
    """Daily smoking in Region Syddanmark, 2017 -> 2021, stored as real (not sample) values."""
    from clusters.models import Area
    from goals.services import measure_statuses_refresh
    from indicators.models import Indicator, Observation

    region = Area.objects.get(code="1083")
    indicator = Indicator.objects.get(code="dagligrygning")
    Observation.objects.create(
        indicator=indicator, area=region, year=2017, value=18.5, ci_low=17.9, ci_high=19.1
    )
    Observation.objects.create(
        indicator=indicator, area=region, year=2021, value=15.0, ci_low=14.4, ci_high=15.6
    )
    measure_statuses_refresh()


def test_the_agreement_page_shows_each_measures_status_and_why(client):
    _status_fixture()
    html = client.get(reverse("goals:agreement_detail", args=["syddanmark-2024-2027"])).content.decode()
    # 2024-2027 starts in 2024: baseline = latest value in or before 2024 (2021), nothing newer -> no data.
    assert "Mangler data" in html
    html = client.get(
        reverse("goals:agreement_detail", args=["syddanmark-2019-2023"]) + "?aar=2023"
    ).content.decode()
    # 2019-2023: baseline 2017 (18.5), latest 2021 (15.0), target 13 % in 2023: s = 3.5/5.5 = 64 %, e = 4/6 = 67 %.
    assert "Fremgang, men for langsomt" in html
    assert "Hvorfor denne vurdering?" in html
    assert "Andelen er faldet fra 18,5 % i 2017 til 15,0 % i 2021." in html
    assert "Sådan opsummeres" in html and "svageste status" in html
    assert "Eksempeldata" not in html
    # The folded agreement text carries the same status beside the follow-up, and the roll-ups beside
    # their vision and objective (selectors.status_tree).
    tree = html.split("Visioner og målsætninger", 1)[1]
    smoking = tree.split("dagligrygning", 1)[0].rsplit('<li class="measure', 1)[1]
    assert "Fremgang, men for langsomt" in smoking
    assert 'class="headline">Samlet' in tree


def test_an_invalid_year_is_explained_in_danish_and_the_page_still_works(client):
    response = client.get(reverse("goals:agreement_detail", args=["syddanmark-2024-2027"]) + "?aar=abc")
    assert response.status_code == 200
    assert "Skriv året som et helt tal, fx 2025." in response.content.decode()


def test_choosing_a_municipality_shows_its_status(client):
    url = reverse("goals:agreement_detail", args=["syddanmark-2024-2027"])
    html = client.get(url + "?omraade=461&aar=2025").content.decode()
    assert "Status for Odense vurderet i 2025." in html
    html = client.get(url + "?omraade=101").content.decode()  # København is not in Region Syddanmark
    assert "Vælg et område fra listen." in html


def test_the_agreement_page_counts_follow_ups_per_status(client):
    _status_fixture()
    html = client.get(
        reverse("goals:agreement_detail", args=["syddanmark-2019-2023"]) + "?aar=2023"
    ).content.decode()
    summary = html[
        html.index('class="status-counts"') : html.index("</ul>", html.index('class="status-counts"'))
    ]
    # 5 follow-ups: daily smoking is "behind" (see above); the other four have no data.
    assert 'Fremgang, men for langsomt</span> <span class="count">1</span>' in " ".join(summary.split())
    assert 'Mangler data</span> <span class="count">4</span>' in " ".join(summary.split())


# The page cache: the overview and the measure page are rendered once per data version (PageCache).


def test_a_second_visit_is_served_from_the_cache_with_one_query(client, django_assert_num_queries):
    url = reverse("goals:agreement_detail", args=["syddanmark-2019-2023"]) + "?omraade=1083&aar=2023"
    first = client.get(url).content.decode()
    with django_assert_num_queries(1):  # the data version
        second = client.get(url).content.decode()
    assert _without_csrf(second) == _without_csrf(first)


def _without_csrf(html):
    import re

    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_new_values_and_statuses_show_at_once_on_the_cached_pages(client):
    from goals.models import Measure
    from goals.services import measure_statuses_refresh

    slug = "syddanmark-2019-2023"
    smoking = Measure.objects.get(objective__vision__agreement__slug=slug, indicator__code="dagligrygning")
    overview = reverse("goals:agreement_detail", args=[slug]) + "?omraade=1083&aar=2023"
    measure = reverse("goals:measure_detail", args=[smoking.pk]) + "?omraade=1083&aar=2023"
    observe("1083", 2017, 19.0, 0.3)
    measure_statuses_refresh()
    assert "2017: 19,0 %" in client.get(overview).content.decode()
    assert "Fremgang, men for langsomt" not in client.get(measure).content.decode()

    # As an upload's load does it: rows written in bulk (no model signals), then the status refresh.
    from clusters.models import Area
    from indicators.models import Indicator, Observation

    Observation.objects.bulk_create(
        [
            Observation(
                indicator=Indicator.objects.get(code="dagligrygning"),
                area=Area.objects.get(code="1083"),
                year=2021,
                value=16.5,
                ci_low=16.2,
                ci_high=16.8,
            )
        ]
    )
    measure_statuses_refresh()
    html = client.get(overview).content.decode()
    assert "2017: 19,0 %, 2021: 16,5 %" in html
    assert "Fremgang, men for langsomt" in html
    assert "16,5" in client.get(measure).content.decode()


def test_an_edited_text_shows_at_once(client):
    from goals.models import Objective

    url = reverse("goals:agreement_detail", args=["syddanmark-2024-2027"])
    client.get(url)
    objective = Objective.objects.filter(vision__agreement__slug="syddanmark-2024-2027").first()
    objective.text = "Vi vil samarbejde om noget helt nyt"
    objective.save()
    assert "Vi vil samarbejde om noget helt nyt" in client.get(url).content.decode()


def test_a_rolled_back_upload_changes_the_version_before_its_refresh(client):
    from django.utils import timezone

    from goals.selectors import data_version
    from indicators.models import Upload

    before = data_version()
    Upload.objects.bulk_create(
        [
            Upload(
                original_name="x.csv",
                sha256="0" * 64,
                size=1,
                status="rolled_back",
                rolled_back_at=timezone.now(),
            )
        ]
    )
    assert data_version() != before


def test_made_up_query_strings_are_not_cached(client):
    from goals.selectors import page_cache

    url = reverse("goals:agreement_detail", args=["syddanmark-2024-2027"])
    assert client.get(url + "?omraade=findes-ikke").status_code == 200
    page = page_cache(
        "agreement",
        ("content",),
        parts=("syddanmark-2024-2027", "findes-ikke", ""),
        cacheable=lambda v: False,
    )
    assert page.seconds == 0 and not page.hit
    assert client.get(url + "?x=1").status_code == 200
