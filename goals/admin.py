from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db import models
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from clusters.models import SecretariatAssignment
from sundhedsaftale.admin_mixins import ViewOnlyMixin

from .models import (
    Activity,
    ActivityReport,
    Agreement,
    AgreementSection,
    AuditEvent,
    FocusArea,
    Measure,
    MeasureStatus,
    NationalGoal,
    Objective,
    ReportingRound,
    Target,
    Vision,
)
from .selectors.reports import history


@admin.register(NationalGoal)
class NationalGoalAdmin(admin.ModelAdmin):
    list_display = ["number", "title"]


class VisionInline(admin.TabularInline):
    model = Vision
    extra = 0
    fields = ["order", "title"]
    show_change_link = True


class SectionInline(admin.StackedInline):
    model = AgreementSection
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "owner", "area", "period_start", "period_end"]
    list_filter = ["kind"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["national_goals"]
    inlines = [VisionInline, SectionInline]


class FocusAreaInline(admin.TabularInline):
    model = FocusArea
    extra = 0


class ObjectiveInline(admin.StackedInline):
    model = Objective
    extra = 0
    fields = ["order", "text", "focus_area"]
    show_change_link = True


@admin.register(Vision)
class VisionAdmin(admin.ModelAdmin):
    list_display = ["title", "agreement", "order"]
    list_filter = ["agreement"]
    list_select_related = ["agreement"]
    inlines = [FocusAreaInline, ObjectiveInline]


@admin.register(FocusArea)
class FocusAreaAdmin(admin.ModelAdmin):
    list_display = ["title", "vision", "order"]
    list_select_related = ["vision"]


class MeasureInline(admin.StackedInline):
    model = Measure
    extra = 0
    show_change_link = True


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ["__str__", "vision", "order"]
    list_filter = ["vision__agreement"]
    list_select_related = ["vision"]
    filter_horizontal = ["national_goals"]
    inlines = [MeasureInline]


class TargetInline(admin.StackedInline):
    model = Target
    extra = 0


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "indicator", "objective"]
    list_filter = ["kind", "objective__vision__agreement"]
    list_select_related = ["indicator", "objective"]
    inlines = [TargetInline]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    # Danish decimal comma in and out ("12,5"), as everywhere else in the product.
    formfield_overrides = {models.FloatField: {"localize": True}}
    list_display = ["measure", "kind", "value", "baseline_year", "target_year"]
    list_filter = ["kind"]
    list_select_related = ["measure"]


@admin.register(AgreementSection)
class AgreementSectionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "agreement", "order"]
    list_filter = ["kind", "agreement"]
    list_select_related = ["agreement"]


@admin.register(MeasureStatus)
class MeasureStatusAdmin(admin.ModelAdmin):
    """Read-only: rows are recomputed whenever data or targets change; an edit would be overwritten."""

    list_display = ["measure", "area", "sex", "age_group", "education", "as_of_year", "status", "benchmark"]
    list_filter = ["status", "area__kind", "benchmark"]
    list_select_related = ["measure", "area"]
    search_fields = ["measure__follow_up_text", "area__name", "area__code"]
    raw_id_fields = ["measure", "area", "benchmark_area"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class _ReadOnlyAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Rows written by the application's own workflow; the admin only shows them."""


@admin.register(ReportingRound)
class ReportingRoundAdmin(_ReadOnlyAdmin):
    """Opened on the reporting pages (goals:round_create), which create the clusters' reports with it."""

    list_display = ["agreement", "year", "deadline", "reminder_days", "opened_by"]
    list_select_related = ["agreement", "opened_by"]


class ActivityInline(ViewOnlyMixin, admin.TabularInline):
    model = Activity
    extra = 0


@admin.register(ActivityReport)
class ActivityReportAdmin(_ReadOnlyAdmin):
    """Written and reviewed on the reporting pages, where permissions and the workflow are enforced."""

    list_display = ["round", "cluster", "objective", "status", "assessment", "updated_at"]
    list_filter = ["status", "assessment", "cluster", "round"]
    list_select_related = ["round__agreement", "cluster", "objective"]
    inlines = [ActivityInline]


@admin.register(Activity)
class ActivityAdmin(_ReadOnlyAdmin):
    list_display = ["title", "report", "status"]
    list_filter = ["status"]
    list_select_related = ["report__round__agreement", "report__cluster", "report__objective"]


@admin.register(AuditEvent)
class AuditEventAdmin(_ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "content_type", "object_repr"]
    list_filter = ["action", "content_type"]
    list_select_related = ["actor", "content_type"]
    search_fields = ["object_repr", "scope", "actor__username"]
    show_full_result_count = False


# Users: roles (groups), the clusters a secretariat user writes for, and the history of both.

User = get_user_model()


class SecretariatAssignmentInline(admin.TabularInline):
    model = SecretariatAssignment
    extra = 0
    verbose_name = _("klyngesekretariat for")
    verbose_name_plural = _("klyngesekretariat for")


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [SecretariatAssignmentInline]
    readonly_fields = ["role_history"]

    # The SSU secretariat manages users and their roles (groups, cluster assignments), but may not make
    # anyone an administrator or hand out permissions outside the roles, nor edit an administrator.
    ADMIN_ONLY = ["is_superuser", "user_permissions"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else fields + self.ADMIN_ONLY

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return [*fieldsets, (_("Historik"), {"fields": ["role_history"]})]

    @admin.display(description=_("Ændringer af bruger og roller"))
    def role_history(self, obj):
        return _history_html(f"user:{obj.pk}")


def _history_html(scope: str) -> str:
    """The newest changes on record for an admin page's object, as the public pages show a history."""
    return render_to_string("goals/includes/audit_trail.html", {"history": history(scope, limit=50)})


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    """A role: its permissions reach every user in it, so their changes are shown with it."""

    def get_readonly_fields(self, request, obj=None):
        return ["permission_history"] if obj is not None else []

    @admin.display(description=_("Ændringer af rollens rettigheder"))
    def permission_history(self, obj):
        return _history_html(f"group:{obj.pk}")
