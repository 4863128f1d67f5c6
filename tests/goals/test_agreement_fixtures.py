"""The fixture checker: what is loaded must be what the agreements say.

Every text loaded from a fixture must occur verbatim in its seed (the published text), and the
numbers of visions, objectives and follow-ups must match what the seed itself contains.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

from goals.models import Agreement, Measure, Objective, Target, Vision

pytestmark = pytest.mark.django_db

SEEDS = Path(settings.BASE_DIR) / "fixtures" / "seeds"


def normalise(text: str) -> str:
    """Lowercase letters and digits only: PDF line breaks, hyphenation and punctuation vanish."""
    return re.sub(r"[\W_]+", "", text.lower())


def seed_text(agreement: Agreement) -> str:
    return (SEEDS / agreement.source_file).read_text(encoding="utf-8")


def loaded_texts(agreement: Agreement):
    """(what, text) for every Danish text loaded for one agreement that must be quoted from its seed."""
    if agreement.overall_vision:
        yield "overordnet vision", agreement.overall_vision
    for vision in agreement.visions.all():
        yield "vision", vision.title
        yield "visionstekst", vision.text
        for focus in vision.focus_areas.all():
            yield "fokusområde", focus.title
            yield "fokusområdetekst", focus.text
        for objective in vision.objectives.all():
            yield "målsætning", objective.text
            for measure in objective.measures.all():
                if measure.follow_up_is_quote:
                    yield "opfølgning", measure.follow_up_text
    for section in agreement.sections.all():
        yield section.get_kind_display(), section.title
        yield section.get_kind_display(), section.text


@pytest.mark.parametrize(
    "slug",
    [
        "syddanmark-2024-2027",
        "kkr-syddanmark-2025",
        "syddanmark-2019-2023",
        "danske-regioner-regionale-maal",
        "midtjylland-2019-2023-udspil",
    ],
)
def test_every_loaded_text_is_quoted_verbatim_from_the_agreement(slug):
    agreement = Agreement.objects.get(slug=slug)
    seed = normalise(seed_text(agreement))
    missing = [(what, text) for what, text in loaded_texts(agreement) if text and normalise(text) not in seed]
    assert missing == []


def _counts(agreement):
    measures = Measure.objects.filter(objective__vision__agreement=agreement)
    return {
        "visions": Vision.objects.filter(agreement=agreement, is_vision=True).count(),
        "objectives": Objective.objects.filter(vision__agreement=agreement).count(),
        "indicator_measures": measures.filter(kind=Measure.Kind.INDICATOR).count(),
        "activity_measures": measures.filter(kind=Measure.Kind.ACTIVITY_STATUS).count(),
    }


def test_the_2024_2027_agreement_has_every_follow_up_sentence_of_the_text():
    agreement = Agreement.objects.get(slug="syddanmark-2024-2027")
    seed = seed_text(agreement)
    counts = _counts(agreement)
    # Each indicator follow-up starts "Vi måler på, om ..."; each activity status "... adspørges én gang årligt".
    assert counts["indicator_measures"] == seed.count("Vi måler på") == 9
    assert counts["activity_measures"] == len(re.findall(r"adspørges\s+én\s+gang\s+årligt", seed)) == 4
    # The four underlying visions, and one objective per "Vi vil samarbejde om" in the Målsætning tables.
    tables = seed[seed.index("MÅLSÆTNINGER UNDER VISIONEN") : seed.index("Opfølgning på de politiske")]
    assert counts["visions"] == 4
    assert counts["objectives"] == len(re.findall(r"Vi vil samarbejde\s+om", tables)) == 8
    assert agreement.overall_vision.startswith("Vi samarbejder om at udvikle det samlede sundhedsvæsen")
    assert agreement.sections.filter(kind="principle").count() == 6
    assert agreement.national_goals.count() == 8
    assert not Target.objects.filter(measure__objective__vision__agreement=agreement).exclude(
        kind="direction"
    )


def test_the_2024_2027_follow_ups_use_the_direction_the_text_asks_for():
    measures = Measure.objects.filter(
        objective__vision__agreement__slug="syddanmark-2024-2027", kind=Measure.Kind.INDICATOR
    ).select_related("indicator")
    for measure in measures:
        text = measure.follow_up_text
        expected = -1 if ("mindre" in text) else 1  # "bliver mindre" vs "stiger", "øges", "bliver større"
        assert measure.effective_polarity == expected, text


def _targets(slug):
    return {
        (t.measure.indicator.code, t.measure.sex, t.measure.age_group): (t.kind, t.value, t.target_year)
        for t in Target.objects.filter(measure__objective__vision__agreement__slug=slug).select_related(
            "measure__indicator"
        )
    }


def test_kkr_2025_has_its_five_targets_of_different_kinds():
    seed = seed_text(Agreement.objects.get(slug="kkr-syddanmark-2025"))
    assert "90 % af alle syddanskere vurderer deres helbred som godt i 2025" in seed
    assert _targets("kkr-syddanmark-2025") == {
        ("selvvurderet-helbred-godt", "alle", "alle"): ("absolute", 90.0, 2025),
        ("behov-for-behandling", "alle", "alle"): ("relative", -0.15, 2025),
        ("kram-mental-uhensigtsmaessig-0-29", "alle", "0-29"): ("relative", -0.5, 2025),
        ("forskel-middellevetid-psykisk", "alle", "alle"): ("relative", -0.1, 2025),
        ("kronisk-syge-uden-sygehuskontakt", "alle", "alle"): ("absolute", 90.0, 2025),
    }
    # The baseline year is not in the text: it must be stored (and editable) on every relative target.
    relative = Target.objects.filter(
        measure__objective__vision__agreement__slug="kkr-syddanmark-2025", kind="relative"
    )
    assert all(t.baseline_year for t in relative)


def test_the_finished_2019_2023_agreement_has_its_numeric_targets_for_2023():
    assert _targets("syddanmark-2019-2023") == {
        ("dagligrygning", "alle", "alle"): ("absolute", 13.0, 2023),
        ("daarligt-mentalt-helbred", "kvinder", "16-24"): ("absolute", 16.0, 2023),
        ("daarligt-mentalt-helbred", "maend", "16-24"): ("absolute", 8.0, 2023),
        ("tilknytning-arbejdsmarked-psykisk", "alle", "alle"): ("absolute", 51.0, 2023),
        ("tilknytning-arbejdsmarked-somatisk", "alle", "alle"): ("absolute", 82.0, 2023),
    }
    stated = Target.objects.get(
        measure__indicator__code="dagligrygning",
        measure__objective__vision__agreement__slug="syddanmark-2019-2023",
    )
    assert stated.stated_baseline == 19.0


def test_midtjylland_has_four_visions_and_a_goal_per_focus_area_statement():
    agreement = Agreement.objects.get(slug="midtjylland-2019-2023-udspil")
    seed = seed_text(agreement)
    counts = _counts(agreement)
    assert "bygger på fire visioner" in seed
    assert list(agreement.visions.filter(is_vision=True).values_list("title", flat=True)) == [
        "Mere lighed i sundhed",
        "På borgerens præmisser",
        "Sundhedsløsninger tæt på borgeren",
        "Mere sundhed for pengene",
    ]
    assert counts["visions"] == 4
    # Three "Mål: Vi vil derfor" statements; the last holds two bulleted goals.
    assert seed.count("Mål: Vi vil derfor") == 3
    assert counts["objectives"] == 4
    assert agreement.area.code == "1082"
    assert agreement.sections.filter(kind="principle").count() == 7
    assert agreement.national_goals.count() == 6


def test_danske_regioner_has_three_goal_areas_for_the_whole_country():
    agreement = Agreement.objects.get(slug="danske-regioner-regionale-maal")
    assert agreement.area.code == "000"
    assert list(agreement.visions.values_list("title", flat=True)) == [
        "Styrk sammenhængen",
        "Flere nye løsninger tæt på borgerne",
        "Styrk forebyggelsen med en populationsbaseret tilgang",
    ]
    smoking = Measure.objects.filter(objective__vision__agreement=agreement, indicator__code="dagligrygning")
    assert {(m.age_group, m.education) for m in smoking} == {
        ("alle", "alle"),
        ("16-24", "alle"),
        ("alle", "Grundskole"),
    }
