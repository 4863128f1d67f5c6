"""The `measure_status --json` contract: one measure's data as plain JSON in, its status out."""

import math
from collections.abc import Mapping

from .core import Point, TargetSpec, in_danish
from .method import evaluate

_POLARITIES = {"higher": 1, "lower": -1}


def evaluate_from_json(payload: Mapping) -> dict:
    """The `measure_status --json` contract: one measure's data as plain JSON in, its status out.

    Without a baseline year the earliest observation is the baseline; a direction-only target's year is the
    end of the period. Raises ValueError with a Danish message on bad input.
    """
    if not isinstance(payload, Mapping):
        raise ValueError("Input skal være ét JSON-objekt.")
    polarity = _POLARITIES.get(_field(payload, "polarity", str, "polarity"))
    if polarity is None:
        raise ValueError(f'polarity skal være "lower" eller "higher", ikke {payload["polarity"]!r}.')
    target_json = _field(payload, "target", Mapping, "target")
    kind = _field(target_json, "kind", str, "target.kind")
    target_year = _field(target_json, "year", int, "target.year")
    target_value = _field(target_json, "value", float, "target.value", required=False)
    baseline_year = _field(payload, "baseline_year", int, "baseline_year", required=False)
    evaluation_year = _field(payload, "evaluation_year", int, "evaluation_year")
    points = _points_from_json(_field(payload, "observations", list, "observations"))
    evaluation = evaluate(
        polarity=polarity,
        target=TargetSpec(
            kind=kind,
            value=target_value,
            target_year=target_year,
            baseline_year=baseline_year,
        ),
        points=points,
        evaluation_year=evaluation_year,
        agreement_start_year=_default_start_year(baseline_year, points, evaluation_year),
        agreement_end_year=target_year,
        unit=_field(payload, "unit", str, "unit", required=False) or "percent",
        next_data_year=_field(payload, "next_data_year", int, "next_data_year", required=False),
    )
    return {
        "status": evaluation.status,
        "label": in_danish(evaluation.label),
        "flags": list(evaluation.flags),
        "explanation": evaluation.explanation,
        "target_value": evaluation.target_value,
        "target_year": evaluation.target_year,
        "baseline_year": evaluation.baseline.year if evaluation.baseline else None,
        "baseline_value": evaluation.baseline.value if evaluation.baseline else None,
        "latest_year": evaluation.data_year,
        "latest_value": evaluation.latest.value if evaluation.latest else None,
        "delta": evaluation.delta,
        "z": evaluation.z,
        "certainty_rule": evaluation.certainty_rule,
        "share_achieved": evaluation.share_achieved,
        "share_time_elapsed": evaluation.share_time_elapsed,
    }


def _points_from_json(observations: list) -> list[Point]:
    points = []
    for i, row in enumerate(observations):
        where = f"observations[{i}]"
        if not isinstance(row, Mapping):
            raise ValueError(f"{where} skal være et objekt med year og value.")
        points.append(
            Point(
                year=_field(row, "year", int, f"{where}.year"),
                value=_field(row, "value", float, f"{where}.value", required=False),
                ci_low=_field(row, "ci_low", float, f"{where}.ci_low", required=False),
                ci_high=_field(row, "ci_high", float, f"{where}.ci_high", required=False),
                estimated=_field(row, "estimated", bool, f"{where}.estimated", required=False) or False,
            )
        )
    return points


def _default_start_year(baseline_year: int | None, points: list[Point], evaluation_year: int) -> int:
    """The JSON contract has no agreement period: the baseline year, or the first year with a value, stands in."""
    if baseline_year is not None:
        return baseline_year
    return min((p.year for p in points if p.value is not None), default=evaluation_year)


_TYPE_NAMES = {
    str: "en tekst",
    int: "et helt tal",
    float: "et tal",
    bool: "true eller false",
    list: "en liste",
}


def _field(data: Mapping, key: str, kind: type, where: str, *, required: bool = True):
    """One checked field: JSON's true is not a number, and "18,5" is not one either."""
    value = data.get(key)
    if value is None:
        if required:
            raise ValueError(f"{where} mangler.")
        return None
    is_bool = isinstance(value, bool)
    if kind is float:
        valid = isinstance(value, int | float) and not is_bool and math.isfinite(value)
    elif kind is int:
        valid = isinstance(value, int) and not is_bool
    else:
        valid = isinstance(value, kind)
    if not valid:
        expected = _TYPE_NAMES.get(kind, "et objekt")
        raise ValueError(f"{where} skal være {expected}, ikke {value!r}.")
    return float(value) if kind is float else value
