"""English as the second language: the language switcher, translated pages, and a complete, compiled catalogue.

Danish is the source language. Agreement texts are data and stay Danish in both languages; only the
interface (navigation, headings, labels, choices) is translated.
"""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from clusters.models import Area

pytestmark = pytest.mark.django_db

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_FILE = LOCALE_DIR / "django.po"
MO_FILE = LOCALE_DIR / "django.mo"

AGREEMENT_URL = "/aftaler/syddanmark-2024-2027/"


@pytest.fixture(autouse=True)
def _back_to_danish():
    # The locale middleware activates the chosen language for the thread; don't let it leak into other tests.
    yield
    translation.deactivate()


@pytest.fixture
def english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert response.status_code == 200
    return client, response.content.decode()


def main_menu(html):
    match = re.search(r'<nav aria-label="[^"]*">\s*<ul>(.*?)</ul>', html, re.S)
    assert match, "no main menu found"
    return [
        re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", match.group(1), re.S)
    ]


def test_the_site_is_danish_without_a_choice(client):
    html = client.get("/").content.decode()
    assert 'lang="da"' in html
    assert main_menu(html) == ["Aftaler", "Sundhedsklynger", "Indikatorer"]


def test_an_english_browser_alone_does_not_switch_the_language(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert main_menu(html) == ["Aftaler", "Sundhedsklynger", "Indikatorer"]


def test_choosing_english_translates_the_front_page(english):
    _, html = english
    assert 'lang="en"' in html
    assert main_menu(html) == ["Agreements", "Health clusters", "Indicators"]
    assert "Health agreements and their goals" in html
    assert "Skip to content" in html
    assert "Health Agreement Monitor" in html
    for danish in ("Sundhedsaftaler og deres mål", "Spring til indhold", ">Sprog<", ">Skift<"):
        assert danish not in html
    # Language names are written in their own language in both interfaces.
    assert ">Dansk</option>" in html
    assert ">English</option>" in html


def test_the_choice_sticks_and_can_be_undone(english):
    client, _ = english
    assert main_menu(client.get("/").content.decode())[0] == "Agreements"
    client.post(reverse("set_language"), {"language": "da", "next": "/"})
    assert main_menu(client.get("/").content.decode())[0] == "Aftaler"


def test_an_agreement_page_has_english_headings_and_danish_agreement_text(english):
    client, _ = english
    response = client.get(AGREEMENT_URL)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"
    html = response.content.decode()
    for english_text in (
        "Visions and objectives",
        "<dt>Owner</dt>",
        "<dt>Area</dt>",
        "<dt>Period</dt>",
        "Health agreement",  # the agreement's type (a translated choice)
        "Annual activity status from the health clusters",
        "lower is better",
        'aria-label="Breadcrumb"',
    ):
        assert english_text in html, english_text
    for danish_text in ("Visioner og målsætninger", "<dt>Ejer</dt>", "<dt>Periode</dt>", "lavere er bedre"):
        assert danish_text not in html, danish_text
    # The agreement's own words are data and are not translated.
    assert "Vi samarbejder om at udvikle det samlede sundhedsvæsen og skabe lighed i sundhed" in html


def test_statuses_and_the_rollup_rule_are_in_english_too(english):
    from goals.services import measure_statuses_refresh

    client, _ = english
    measure_statuses_refresh()
    html = client.get(AGREEMENT_URL).content.decode()
    assert "The headline is the weakest status among the measures" in html
    assert "Missing data" in html
    assert "Mangler data" not in html and "Overskriften er den svageste" not in html


def test_targets_read_as_english_sentences(english):
    client, _ = english
    html = client.get(reverse("goals:agreement_detail", args=["kkr-syddanmark-2025"])).content.decode()
    assert "90 % in 2025" in html
    assert "decrease of 15 % from the baseline year 2017 to 2025" in html
    assert "fald på 15 %" not in html


def test_the_cluster_and_indicator_pages_are_translated(english):
    client, _ = english
    html = client.get(reverse("clusters:cluster_list")).content.decode()
    assert "<h1>Health clusters</h1>" in html
    assert "Acute hospital" in html
    html = client.get(reverse("indicators:indicator_list")).content.decode()
    assert "Indicator catalogue" in html
    assert "Desired direction" in html


def test_numbers_follow_the_chosen_language(client):
    cluster = Area.objects.filter(kind=Area.Kind.CLUSTER, population__gte=1000).order_by("code").first()
    if cluster is None:
        pytest.skip("no cluster population in the reference data")
    english_number = f"{cluster.population:,}"
    danish_number = english_number.replace(",", ".")
    url = reverse("clusters:cluster_list")

    html = client.get(url).content.decode()
    assert danish_number in html

    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(url).content.decode()
    assert english_number in html
    assert danish_number not in html
    # Years are never given a thousands separator.
    agreement = client.get(reverse("goals:agreement_detail", args=["kkr-syddanmark-2025"])).content.decode()
    assert "2,025" not in agreement


def read_po(path):
    """A minimal .po reader: one dict per entry with its flags, msgid(_plural) and msgstr(s)."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry = {"flags": set(), "msgstr": {}}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif match := re.match(r'^(msgid_plural|msgid|msgstr(?:\[(\d+)\])?) (".*")$', line):
                keyword, index, literal = match.groups()
                key = ("msgstr", int(index or 0)) if keyword.startswith("msgstr") else keyword
                value = ast.literal_eval(literal)
                if isinstance(key, tuple):
                    entry["msgstr"][key[1]] = value
                else:
                    entry[key] = value
            elif line.startswith('"') and key is not None:
                value = ast.literal_eval(line)
                if isinstance(key, tuple):
                    entry["msgstr"][key[1]] += value
                else:
                    entry[key] += value
        if "msgid" in entry:
            entries.append(entry)
    return entries


def test_every_string_has_an_english_translation():
    entries = read_po(PO_FILE)
    header = [entry for entry in entries if entry["msgid"] == ""]
    messages = [entry for entry in entries if entry["msgid"] != ""]
    assert len(header) == 1
    assert "fuzzy" not in header[0]["flags"]
    assert len(messages) > 100
    untranslated = [e["msgid"] for e in messages if not e["msgstr"] or not all(e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in messages if "fuzzy" in e["flags"]]
    assert untranslated == [], "Translate these in locale/en/LC_MESSAGES/django.po"
    assert fuzzy == [], "Check these translations and remove their fuzzy flag"
    plurals = [e for e in messages if "msgid_plural" in e]
    assert plurals and all(set(e["msgstr"]) == {0, 1} for e in plurals)


def test_placeholders_survive_translation():
    for entry in read_po(PO_FILE):
        if not entry["msgid"]:
            continue
        # The singular translation has the msgid's placeholders, the plural ones the msgid_plural's: a singular
        # may leave the count out ("Eksempel på ændret værdi" / "De første %(counter)s ændrede værdier").
        for index, msgstr in entry["msgstr"].items():
            source = entry["msgid_plural"] if index and "msgid_plural" in entry else entry["msgid"]
            wanted = set(re.findall(r"%\(\w+\)s", source))
            assert set(re.findall(r"%\(\w+\)s", msgstr)) == wanted, entry["msgid"]


def test_the_compiled_catalogue_matches_the_po_file():
    """The .mo is committed (the app must not need gettext to install), so it must be recompiled with the .po."""
    with MO_FILE.open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    stale = []
    for entry in read_po(PO_FILE):
        if not entry["msgid"]:
            continue
        if "msgid_plural" in entry:
            compiled = [catalogue.ngettext(entry["msgid"], entry["msgid_plural"], n) for n in (1, 2)]
            expected = [entry["msgstr"][0], entry["msgstr"][1]]
        else:
            compiled, expected = catalogue.gettext(entry["msgid"]), entry["msgstr"][0]
        if compiled != expected:
            stale.append(entry["msgid"])
    assert stale == [], "Run: manage.py compilemessages -l en --ignore=.venv"


def test_english_pages_write_dates_day_first_with_a_24_hour_clock():
    import datetime

    from django.utils import formats, translation

    moment = datetime.datetime(2026, 12, 15, 0, 30)
    with translation.override("en"):
        assert formats.date_format(moment.date(), "SHORT_DATE_FORMAT") == "15/12/2026"
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "15/12/2026 00:30"
        assert formats.number_format(1234.5, 1, force_grouping=True) == "1,234.5"
    with translation.override("da"):
        assert formats.date_format(moment.date(), "SHORT_DATE_FORMAT") == "15.12.2026"
