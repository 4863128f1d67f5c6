from django.contrib import admin

from .models import DataSource, Indicator, Observation


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
    list_display = [
        "indicator",
        "area",
        "year",
        "sex",
        "age_group",
        "education",
        "value",
        "ci_low",
        "ci_high",
        "respondents",
        "suppressed",
        "is_sample",
    ]
    list_filter = ["indicator", "year", "sex", "is_sample", "suppressed"]
    search_fields = ["area__name", "area__code", "indicator__code"]
    list_select_related = ["indicator", "area"]
    autocomplete_fields = ["area", "indicator"]
    # Millions of rows: an exact count on every changelist page would be the slowest part of it.
    show_full_result_count = False
