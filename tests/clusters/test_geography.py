import pytest

from clusters.models import Area, ClusterMembership, HealthCluster, Municipality, Region
from clusters.services import geography_load

pytestmark = pytest.mark.django_db


def test_it_loads_all_98_municipalities_in_5_regions():
    assert Municipality.objects.count() == 98
    assert sorted(Region.objects.values_list("code", flat=True)) == ["1081", "1082", "1083", "1084", "1085"]
    syddanmark = Region.objects.get(code="1083")
    assert Municipality.objects.filter(parent=syddanmark).count() == 22


def test_it_keys_municipalities_by_code_not_name():
    odense = Area.objects.get(code="461")
    assert (odense.name, odense.kind, odense.parent.code) == ("Odense", "municipality", "1083")
    assert Area.objects.get(code="480").name == "Nordfyns"


def test_it_puts_vejen_fully_in_sydvestjylland_and_politically_in_lillebaelt():
    memberships = {
        m.cluster.code: m.kind
        for m in ClusterMembership.objects.filter(municipality__code="575").select_related("cluster")
    }
    assert memberships == {
        "sydvestjylland": ClusterMembership.Kind.FULL,
        "lillebaelt": ClusterMembership.Kind.POLITICAL,
    }


def test_a_clusters_population_counts_only_its_full_members():
    lillebaelt = HealthCluster.objects.get(code="lillebaelt")
    # Fredericia 51427 + Kolding 92893 + Middelfart 38553 + Vejle 114830; Vejen (political only) not counted.
    assert lillebaelt.population == 51427 + 92893 + 38553 + 114830
    assert HealthCluster.objects.get(code="fyn").memberships.count() == 9


def test_loading_the_geography_again_changes_nothing():
    before = (Area.objects.count(), ClusterMembership.objects.count())
    geography_load()
    assert (Area.objects.count(), ClusterMembership.objects.count()) == before == (1 + 5 + 98 + 4, 23)
