from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("aftaler/<slug:slug>/", views.report_list, name="list"),
    path("aftaler/<slug:slug>/ny/", views.report_create, name="create"),
    path("aftaler/<slug:slug>/alle-omraader/", views.batch_create, name="batch_create"),
    path("koersler/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("koersler/<int:pk>/status/", views.batch_status, name="batch_status"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/rediger/", views.report_edit, name="edit"),
    path("<int:pk>/offentliggoer/", views.report_publish, name="publish"),
    path("<int:pk>/ret/", views.report_correct, name="correct"),
    path("<int:pk>/slet/", views.report_delete, name="delete"),
    path("<int:pk>/pdf/", views.report_pdf, name="pdf"),
    path("<int:pk>/indhold.json", views.report_export, name="export"),
]
