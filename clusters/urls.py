from django.urls import path

from . import views

app_name = "clusters"
urlpatterns = [
    path("", views.cluster_list, name="cluster_list"),
    path("<slug:code>/", views.cluster_detail, name="cluster_detail"),
]
