"""Every model has an admin page that an administrator can open."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

PROJECT_APPS = ["clusters", "indicators", "goals"]


def project_models():
    return [model for app in PROJECT_APPS for model in apps.get_app_config(app).get_models()]


def test_every_project_model_is_registered_in_the_admin():
    unregistered = [model.__name__ for model in project_models() if not admin.site.is_registered(model)]
    assert unregistered == []


@pytest.mark.parametrize("model", project_models(), ids=lambda m: m.__name__)
def test_an_administrator_can_open_every_change_list_and_an_object(admin_client, model):
    opts = model._meta
    response = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert response.status_code == 200
    obj = model._default_manager.first()
    if obj is not None:
        response = admin_client.get(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        )
        assert response.status_code == 200
