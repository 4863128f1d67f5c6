from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", include("goals.urls")),
    path("klynger/", include("clusters.urls")),
    path("indikatorer/", include("indicators.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("konto/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
