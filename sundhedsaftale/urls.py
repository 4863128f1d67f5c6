from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from . import views
from .auth import ThrottledAuthenticationForm, ThrottledPasswordResetView

urlpatterns = [
    path("", include("goals.urls")),
    path("klynger/", include("clusters.urls")),
    path("indikatorer/", include("indicators.urls")),
    path("statusrapporter/", include("reports.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("", include("api.urls")),
    path(
        "konto/login/",
        auth_views.LoginView.as_view(authentication_form=ThrottledAuthenticationForm),
        name="login",
    ),
    path("konto/password_reset/", ThrottledPasswordResetView.as_view(), name="password_reset"),
    path("konto/logout/", views.LogoutView.as_view(), name="logout"),
    path("konto/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
]
