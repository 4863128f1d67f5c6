from django.contrib import admin

from sundhedsaftale.admin_mixins import ViewOnlyMixin

from .models import (
    OBSERVATION_FIGURES,
    OBSERVATION_KEY,
    DataSource,
    Indicator,
    Observation,
    ObservationHistory,
    StagedObservation,
    Upload,
)


@admin.register(DataSource)
class DataSourceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "publisher", "next_round_year"]
    search_fields = ["code", "name"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "polarity", "source"]
    list_filter = ["source", "unit", "polarity"]
    search_fields = ["code", "name"]
    list_select_related = ["source"]


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = [*OBSERVATION_KEY, *OBSERVATION_FIGURES, "is_sample"]
    list_filter = ["indicator", "year", "sex", "is_sample", "suppressed"]
    search_fields = ["area__name", "area__code", "indicator__code"]
    list_select_related = ["indicator", "area"]
    autocomplete_fields = ["area", "indicator"]
    # Which upload wrote a value is what a rollback goes by; it is never edited by hand.
    readonly_fields = ["upload"]
    # Millions of rows: an exact count on every changelist page would be the slowest part of it.
    show_full_result_count = False


class _ReadOnlyAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Rows written only by the upload services: shown, never edited, added or deleted by hand (a hand
    edit would break a rollback, which restores exactly what was replaced)."""


@admin.register(Upload)
class UploadAdmin(_ReadOnlyAdmin):
    list_display = [
        "original_name",
        "status",
        "created_at",
        "uploaded_by",
        "rows",
        "new",
        "changed",
        "unchanged",
    ]
    list_filter = ["status"]
    search_fields = ["original_name", "sha256"]
    list_select_related = ["uploaded_by"]
    date_hierarchy = "created_at"


@admin.register(StagedObservation)
class StagedObservationAdmin(_ReadOnlyAdmin):
    list_display = [
        "upload",
        "line",
        "indicator_id",
        "area_id",
        "year",
        "sex",
        "age_group",
        "education",
        "value",
    ]
    list_select_related = ["upload"]
    show_full_result_count = False


@admin.register(ObservationHistory)
class ObservationHistoryAdmin(_ReadOnlyAdmin):
    list_display = ["upload", *OBSERVATION_KEY, "value", "replaced_upload"]
    list_filter = ["upload"]
    list_select_related = ["upload", "indicator", "area", "replaced_upload"]
    show_full_result_count = False
