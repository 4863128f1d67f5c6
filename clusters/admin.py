from django.contrib import admin

from .models import (
    Area,
    ClusterMembership,
    Country,
    HealthCluster,
    Municipality,
    Region,
    SecretariatAssignment,
)


class MembershipInline(admin.TabularInline):
    model = ClusterMembership
    fk_name = "cluster"
    extra = 0
    autocomplete_fields = ["municipality"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "population"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]


class _KindAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent", "population"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    exclude = ["kind"]


admin.site.register(Country, _KindAdmin)
admin.site.register(Region, _KindAdmin)
admin.site.register(Municipality, _KindAdmin)


@admin.register(HealthCluster)
class HealthClusterAdmin(_KindAdmin):
    list_display = ["code", "name", "hospital", "parent", "population"]
    inlines = [MembershipInline]


@admin.register(ClusterMembership)
class ClusterMembershipAdmin(admin.ModelAdmin):
    list_display = ["cluster", "municipality", "kind", "valid_from", "valid_to"]
    list_filter = ["cluster", "kind"]
    list_select_related = ["cluster", "municipality"]
    autocomplete_fields = ["cluster", "municipality"]


@admin.register(SecretariatAssignment)
class SecretariatAssignmentAdmin(admin.ModelAdmin):
    """Which clusters' reports a cluster-secretariat user writes (also editable on the user's page)."""

    list_display = ["user", "cluster"]
    list_filter = ["cluster"]
    list_select_related = ["user", "cluster"]
    search_fields = ["user__username", "user__email"]
