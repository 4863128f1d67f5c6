from django.urls import path, re_path

from . import views

app_name = "goals"
urlpatterns = [
    path("", views.index, name="index"),
    path("aftaler/<slug:slug>/", views.agreement_detail, name="agreement_detail"),
    path("aftaler/<slug:slug>/matrix/", views.agreement_matrix, name="agreement_matrix"),
    path("sammenlign/", views.area_compare, name="area_compare"),
]
urlpatterns += [
    path("opfoelgning/<int:pk>/", views.measure_detail, name="measure_detail"),
    path("opfoelgning/<int:pk>/data.csv", views.measure_data_csv, name="measure_data_csv"),
    path("opfoelgning/<int:pk>/data.xlsx", views.measure_data_xlsx, name="measure_data_xlsx"),
    path("opfoelgning/kort/<slug:code>.geojson", views.municipality_map, name="municipality_map"),
]
urlpatterns += [
    path("omraader/", views.area_search, name="area_search"),
    path("omraader/<slug:code>/", views.area_detail, name="area_detail"),
]
# The clusters' activity reports (goals/views/reports.py) and the audit trail.
urlpatterns += [
    path("rapportering/", views.reporting_home, name="reporting_home"),
    path("rapportering/runder/ny/", views.round_create, name="round_create"),
    path("rapportering/runder/<int:pk>/", views.round_detail, name="round_detail"),
    path("rapportering/rapporter/<int:pk>/", views.report_detail, name="report_detail"),
    path("rapportering/rapporter/<int:pk>/rediger/", views.report_edit, name="report_edit"),
    path("rapportering/rapporter/<int:pk>/autosave/", views.report_autosave, name="report_autosave"),
    path("rapportering/rapporter/<int:pk>/behandl/", views.report_review, name="report_review"),
    path("aftaler/<slug:slug>/historik/", views.agreement_history, name="agreement_history"),
]
# The indicator page lists measures, so it is goals' (goals -> indicators), at the URL it always had. goals.urls
# is included before indicators.urls, so "upload" is excluded here rather than shadowed.
urlpatterns += [
    re_path(
        r"^indikatorer/(?!upload/)(?P<code>[-a-zA-Z0-9_]+)/$", views.indicator_detail, name="indicator_detail"
    ),
    re_path(
        r"^indikatorer/(?!upload/)(?P<code>[-a-zA-Z0-9_]+)/data\.csv$",
        views.indicator_values_csv,
        name="indicator_values_csv",
    ),
]
