from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.indicator_list, name="indicator_list"),
    path("<slug:code>/", views.indicator_detail, name="indicator_detail"),
]
