from django.contrib import admin

from .models import (
    Agreement,
    AgreementSection,
    FocusArea,
    Measure,
    MeasureStatus,
    NationalGoal,
    Objective,
    Target,
    Vision,
)


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
