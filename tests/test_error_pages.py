"""Error pages: in Danish (or the chosen language), in the site's layout, with a way on."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/aftaler/findes-ikke/", "/omraader/xyz/", "/opfoelgning/99999/", "/ingen-side-her/"]
)
def test_a_missing_page_answers_in_danish_in_the_sites_layout(client, path):
    response = client.get(path)
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="da">' in html and "Siden findes ikke" in html
    assert 'class="site-header"' in html and reverse("goals:index") in html


def test_a_page_hidden_by_permission_looks_like_any_missing_page(client, ssu_member):
    client.force_login(ssu_member)
    response = client.get(reverse("indicators:upload_list"))
    assert response.status_code == 404
    assert "Siden findes ikke, eller du har ikke adgang til den." in response.content.decode()


def test_an_expired_form_explains_in_danish_that_nothing_was_saved():
    response = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Formularen kunne ikke sendes" in html and "Intet er gemt." in html
    assert '<html lang="da">' in html


def test_a_server_error_page_is_danish_and_offers_nothing_that_needs_a_request():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Der opstod en fejl" in html and '<html lang="da">' in html
    assert 'class="site-header"' in html and reverse("goals:index") in html
    # Rendered without a request: no log-in link or language form that could not work.
    assert "Log ind" not in html and reverse("set_language") not in html and "csrfmiddlewaretoken" not in html


def test_a_forbidden_page_is_danish_in_the_sites_layout():
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    request = RequestFactory().get("/")
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    html = response.content.decode()
    assert "Ingen adgang" in html and 'class="site-header"' in html


def test_the_language_menu_names_each_language_in_itself(client):
    html = client.get(reverse("goals:index")).content.decode()
    assert '<option value="en" lang="en">English</option>' in html
    assert 'lang="da" selected>Dansk</option>' in html
