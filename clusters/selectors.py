"""Reads for geography pages."""

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404

from .models import Area, ClusterMembership, HealthCluster

# Area pickers list Denmark, then the regions, the clusters and the municipalities, each by name.
_PICKER_KIND_ORDER = {
    Area.Kind.COUNTRY: 0,
    Area.Kind.REGION: 1,
    Area.Kind.CLUSTER: 2,
    Area.Kind.MUNICIPALITY: 3,
}


def areas_in_picker_order(areas) -> list[Area]:
    """`areas` as every area picker lists them."""
    return sorted(
        areas, key=lambda area: (_PICKER_KIND_ORDER.get(area.kind, len(_PICKER_KIND_ORDER)), area.name)
    )


def cluster_list():
    """All clusters with their region and number of full members, for the cluster overview."""
    return HealthCluster.objects.select_related("parent").annotate(
        full_members=Count("memberships", filter=Q(memberships__kind=ClusterMembership.Kind.FULL))
    )


def cluster_get(code: str) -> Area:
    """One cluster with its memberships and, for each member, its memberships of other clusters
    (Vejen sits in two). 404 for an unknown code. Query count is fixed."""
    memberships = ClusterMembership.objects.select_related("municipality").prefetch_related(
        Prefetch(
            "municipality__cluster_memberships",
            queryset=ClusterMembership.objects.select_related("cluster").order_by("cluster__name"),
        )
    )
    queryset = HealthCluster.objects.select_related("parent").prefetch_related(
        Prefetch("memberships", queryset=memberships.order_by("kind", "municipality__name"))
    )
    return get_object_or_404(queryset, code=code)
