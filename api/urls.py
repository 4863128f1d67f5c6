from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from . import account, views

app_name = "api"
# The open data API (read-only), its contract and documentation.
urlpatterns = [
    path("api/v1/aftaler/", views.AgreementList.as_view(), name="agreement_list"),
    path("api/v1/aftaler/<slug:slug>/", views.AgreementDetail.as_view(), name="agreement_detail"),
    re_path(
        r"^api/v1/opfoelgninger/(?P<slug>[-a-zA-Z0-9_]+)/(?P<path>[0-9]+\.[0-9]+\.[0-9]+)/$",
        views.MeasureDetail.as_view(),
        name="measure_detail",
    ),
    path("api/v1/omraader/", views.AreaList.as_view(), name="area_list"),
    path("api/v1/omraader/<slug:code>/", views.AreaDetail.as_view(), name="area_detail"),
    path("api/v1/indikatorer/", views.IndicatorList.as_view(), name="indicator_list"),
    path("api/v1/indikatorer/<slug:code>/", views.IndicatorDetail.as_view(), name="indicator_detail"),
    path("api/v1/observationer/", views.ObservationList.as_view(), name="observation_list"),
    path("api/v1/status/", views.StatusList.as_view(), name="status_list"),
    path("api/v1/aktivitetsrapporter/", views.ActivityReportList.as_view(), name="activity_report_list"),
    re_path(
        r"^api/v1/aktivitetsrapporter/(?P<slug>[-a-zA-Z0-9_]+)/(?P<year>[0-9]{4})/(?P<cluster>[-a-zA-Z0-9_]+)/"
        r"(?P<objective>[0-9]+\.[0-9]+)/$",
        views.ActivityReportDetail.as_view(),
        name="activity_report_detail",
    ),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]
# The user's own API keys, on the account pages.
urlpatterns += [
    path("konto/api-noegler/", account.token_list, name="token_list"),
    path("konto/api-noegler/<int:pk>/slet/", account.token_revoke, name="token_revoke"),
]
