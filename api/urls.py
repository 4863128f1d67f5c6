from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from . import account, views

app_name = "api"


def _api(view, **kwargs):
    """The API answers for itself, also under DASHBOARD_REQUIRE_LOGIN (then DRF asks for a key, see
    settings): Django's log-in middleware would send a program to the log-in page instead."""
    return login_not_required(view.as_view(**kwargs))


# The open data API (read-only), its contract and documentation. Keys in the path match anything up to the
# next slash, so an unknown or malformed one gets the API's JSON 404, not the site's HTML page.
urlpatterns = [
    path("api/v1/aftaler/", _api(views.AgreementList), name="agreement_list"),
    re_path(r"^api/v1/aftaler/(?P<slug>[^/]+)/$", _api(views.AgreementDetail), name="agreement_detail"),
    re_path(
        r"^api/v1/opfoelgninger/(?P<slug>[^/]+)/(?P<path>[^/]+)/$",
        _api(views.MeasureDetail),
        name="measure_detail",
    ),
    path("api/v1/omraader/", _api(views.AreaList), name="area_list"),
    re_path(r"^api/v1/omraader/(?P<code>[^/]+)/$", _api(views.AreaDetail), name="area_detail"),
    path("api/v1/indikatorer/", _api(views.IndicatorList), name="indicator_list"),
    re_path(r"^api/v1/indikatorer/(?P<code>[^/]+)/$", _api(views.IndicatorDetail), name="indicator_detail"),
    path("api/v1/observationer/", _api(views.ObservationList), name="observation_list"),
    path("api/v1/status/", _api(views.StatusList), name="status_list"),
    path("api/v1/aktivitetsrapporter/", _api(views.ActivityReportList), name="activity_report_list"),
    re_path(
        r"^api/v1/aktivitetsrapporter/(?P<slug>[^/]+)/(?P<year>[^/]+)/(?P<cluster>[^/]+)/(?P<objective>[^/]+)/$",
        _api(views.ActivityReportDetail),
        name="activity_report_detail",
    ),
    path("api/v1/statusrapporter/", _api(views.StatusReportList), name="status_report_list"),
    re_path(
        r"^api/v1/statusrapporter/(?P<slug>[^/]+)/(?P<year>[^/]+)/(?P<area>[^/]+)/(?P<kind>[^/]+)/$",
        _api(views.StatusReportDetail),
        name="status_report_detail",
    ),
    path("api/schema/", _api(SpectacularAPIView), name="schema"),
    path("api/docs/", _api(SpectacularSwaggerView, url_name="api:schema"), name="docs"),
    path("api/redoc/", _api(SpectacularRedocView, url_name="api:schema"), name="redoc"),
]
# The user's own API keys, on the account pages.
urlpatterns += [
    path("konto/api-noegler/", account.token_list, name="token_list"),
    path("konto/api-noegler/<int:pk>/slet/", account.token_revoke, name="token_revoke"),
]
