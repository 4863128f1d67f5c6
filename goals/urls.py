from django.urls import path

from . import views

app_name = "goals"
urlpatterns = [
    path("", views.index, name="index"),
    path("aftaler/<slug:slug>/", views.agreement_detail, name="agreement_detail"),
]
urlpatterns += [
    path("opfoelgning/<int:pk>/", views.measure_detail, name="measure_detail"),
    path("opfoelgning/<int:pk>/data.csv", views.measure_data_csv, name="measure_data_csv"),
    path("opfoelgning/<int:pk>/data.xlsx", views.measure_data_xlsx, name="measure_data_xlsx"),
]
urlpatterns += [
    path("omraader/<slug:code>/", views.area_detail, name="area_detail"),
]
