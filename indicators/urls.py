from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.indicator_list, name="indicator_list"),
    # The indicator page itself (/indikatorer/<code>/) is goals' (goals/urls.py): it lists measures.
    path("upload/", views.upload_list, name="upload_list"),
    path("upload/<int:pk>/", views.upload_detail, name="upload_detail"),
    path("upload/<int:pk>/status.json", views.upload_status, name="upload_status"),
    path("upload/<int:pk>/fil/", views.upload_file, name="upload_file"),
    path("upload/<int:pk>/godkend/", views.upload_confirm, name="upload_confirm"),
    path("upload/<int:pk>/kasser/", views.upload_discard, name="upload_discard"),
    path("upload/<int:pk>/rul-tilbage/", views.upload_rollback, name="upload_rollback"),
]
