"""Writes for agreements: loading the national goals and the agreement fixtures."""

from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction

from clusters.models import Area
from indicators.models import ALL, Indicator

from ..models import Agreement, AgreementSection, FocusArea, Measure, NationalGoal, Objective, Target, Vision

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
AGREEMENTS_DIR = FIXTURES_DIR / "agreements"
POLARITIES = {"higher": Indicator.Polarity.HIGHER_IS_BETTER, "lower": Indicator.Polarity.LOWER_IS_BETTER}


def _text(value) -> str:
    """Fixture texts are quoted from PDFs; fold their line breaks into single spaces."""
    return " ".join(str(value or "").split())


@transaction.atomic
def national_goals_load(*, path: Path = FIXTURES_DIR / "national_goals.yaml") -> int:
    goals = yaml.safe_load(path.read_text(encoding="utf-8"))
    for goal in goals:
        NationalGoal.objects.update_or_create(number=goal["number"], defaults={"title": goal["title"]})
    return len(goals)


def _sync_children(queryset, items, build):
    """Update or create one child row per item, matched on its 1-based position; delete the rest.

    Matching on position keeps ids stable when a fixture is reloaded, so statuses and reports that
    point at a measure survive a correction of its wording.
    """
    rows = []
    for order, item in enumerate(items, start=1):
        row, _ = queryset.update_or_create(order=order, defaults=build(item))
        rows.append((row, item))
    queryset.filter(order__gt=len(items)).delete()
    return rows


@transaction.atomic
def agreement_load_fixture(*, path: Path, replace: bool = False) -> tuple[Agreement, bool]:
    """Load one agreement and its tree from a YAML fixture (format: fixtures/agreements/README.md).

    An agreement that already exists is left alone unless `replace` is set: its targets and texts may
    have been edited in the application since. With `replace`, texts are updated in place (ids kept),
    but an existing target keeps its edited values. Returns the agreement and whether it was written.
    """
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    existing = Agreement.objects.filter(slug=data["slug"]).first()
    if existing and not replace:
        return existing, False
    goals = {goal.number: goal for goal in NationalGoal.objects.all()}
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}

    agreement, _ = Agreement.objects.update_or_create(
        slug=data["slug"],
        defaults={
            "title": _text(data["title"]),
            "kind": data.get("kind", Agreement.Kind.AGREEMENT),
            "owner": _text(data["owner"]),
            "parties": _text(data.get("parties")),
            "area": Area.objects.get(code=str(data["area"])),
            "period_start": data["period_start"],
            "period_end": data["period_end"],
            "overall_vision": _text(data.get("overall_vision")),
            "summary": _text(data.get("summary")),
            "source_file": data.get("source_file", ""),
        },
    )
    agreement.national_goals.set([goals[number] for number in data.get("national_goals", [])])
    AgreementSection.objects.filter(agreement=agreement).delete()
    AgreementSection.objects.bulk_create(
        AgreementSection(
            agreement=agreement,
            kind=item["kind"],
            order=order,
            title=_text(item["title"]),
            text=_text(item.get("text")),
        )
        for order, item in enumerate(data.get("sections", []), start=1)
    )

    visions = _sync_children(
        Vision.objects.filter(agreement=agreement),
        data.get("visions", []),
        lambda item: {
            "agreement": agreement,
            "title": _text(item["title"]),
            "text": _text(item.get("text")),
            "is_vision": item.get("is_vision", True),
        },
    )
    for vision, vision_data in visions:
        focus_areas = {
            row.title: row
            for row, _ in _sync_children(
                FocusArea.objects.filter(vision=vision),
                vision_data.get("focus_areas", []),
                lambda item, vision=vision: {
                    "vision": vision,
                    "title": _text(item["title"]),
                    "text": _text(item.get("text")),
                },
            )
        }
        for objective_data in vision_data.get("objectives", []):
            focus_title = _text(objective_data.get("focus_area"))
            if focus_title and focus_title not in focus_areas:
                raise ValueError(f"{path.name}: unknown focus area {focus_title!r} under {vision.title!r}")
        objectives = _sync_children(
            Objective.objects.filter(vision=vision),
            vision_data.get("objectives", []),
            lambda item, vision=vision, focus_areas=focus_areas: {
                "vision": vision,
                "focus_area": focus_areas.get(_text(item.get("focus_area"))),
                "text": _text(item["text"]),
            },
        )
        for objective, objective_data in objectives:
            objective.national_goals.set(
                [goals[number] for number in objective_data.get("national_goals", [])]
            )
            measures = _sync_children(
                Measure.objects.filter(objective=objective),
                objective_data.get("measures", []),
                lambda item, objective=objective: _measure_fields(objective, item, indicators),
            )
            for measure, measure_data in measures:
                _target_ensure(measure, measure_data)
    return agreement, True


def _measure_fields(objective: Objective, data: dict, indicators: dict[str, Indicator]) -> dict:
    kind = data.get("kind", Measure.Kind.INDICATOR)
    breakdown = data.get("breakdown") or {}
    return {
        "objective": objective,
        "kind": kind,
        "follow_up_text": _text(data["follow_up"]),
        "follow_up_is_quote": not data.get("external", False),
        "indicator": indicators[data["indicator"]] if kind == Measure.Kind.INDICATOR else None,
        "polarity": POLARITIES[data["polarity"]] if data.get("polarity") else None,
        "sex": breakdown.get("sex", ALL),
        "age_group": str(breakdown.get("age_group", ALL)),
        "education": breakdown.get("education", ALL),
    }


def _target_ensure(measure: Measure, data: dict) -> None:
    """Create the fixture's target if the measure has none; an existing (maybe edited) target is kept."""
    if measure.kind != Measure.Kind.INDICATOR:
        Target.objects.filter(measure=measure).delete()
        return
    target = data.get("target") or {"kind": Target.Kind.DIRECTION}
    Target.objects.get_or_create(
        measure=measure,
        defaults={
            "kind": target["kind"],
            "value": target.get("value"),
            "baseline_year": target.get("baseline_year"),
            "stated_baseline": target.get("stated_baseline"),
            "target_year": target.get("target_year"),
            "note": _text(target.get("note")),
            "baseline_year_in_text": bool(target.get("baseline_year_in_text", False)),
        },
    )


def agreements_load_all(
    *, directory: Path = AGREEMENTS_DIR, replace: bool = False
) -> list[tuple[Agreement, bool]]:
    return [agreement_load_fixture(path=path, replace=replace) for path in sorted(directory.glob("*.yaml"))]
