"""Status reports in the admin: readable, never edited there. A draft is written on its page, a published
report is frozen (reports.models.StatusReport.save refuses, and so does the database)."""

from django.contrib import admin

from .models import ReportBatch, StatusReport


@admin.register(StatusReport)
class StatusReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "published_at", "published_by"]
    list_filter = ["status", "kind", "year", "agreement"]
    search_fields = ["agreement__title", "area__name"]
    readonly_fields = [f.name for f in StatusReport._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Only drafts; published and superseded reports are kept for good.
        return obj is not None and obj.is_draft and super().has_delete_permission(request, obj)


@admin.register(ReportBatch)
class ReportBatchAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "steps_done", "steps_total", "created_at"]
    readonly_fields = [f.name for f in ReportBatch._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
