"""The status method (docs/status-method.md), checked against cases computed by hand.

Each case's comment shows the arithmetic, so a reader can check the expected status without running the code.
Unless a case says otherwise: higher is better, the target is 90 (absolute) in 2025, the agreement runs
2017-2025 and the evaluation year is 2022. SE = (upper - lower) / 3.92.
"""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from goals.progress import (
    ROLLUP_RULE,
    STATUS_LABELS,
    STATUS_ORDER,
    Point,
    SeriesEvaluation,
    TargetSpec,
    cluster_value,
    compare_with_benchmark,
    evaluate,
    evaluate_from_json,
    rollup,
)

P = Point


def measure(
    *points,
    polarity=1,
    kind="absolute",
    value=90.0,
    target_year=2025,
    baseline_year=None,
    evaluation_year=2022,
    start=2017,
    end=2025,
    unit="percent",
    next_data_year=None,
):
    return evaluate(
        polarity=polarity,
        target=TargetSpec(kind=kind, value=value, target_year=target_year, baseline_year=baseline_year),
        points=points,
        evaluation_year=evaluation_year,
        agreement_start_year=start,
        agreement_end_year=end,
        unit=unit,
        next_data_year=next_data_year,
    )


DIRECTION = {"kind": "direction", "value": None, "target_year": None}


def worked_example(**overrides):
    """The method's worked example: daily smoking, lower is better, -50 % by 2025 from 2017."""
    return measure(
        P(2017, 18.5, 17.9, 19.1),
        P(2021, 15.0, 14.4, 15.6),
        polarity=-1,
        kind="relative",
        value=-0.5,
        baseline_year=2017,
        **overrides,
    )


# (points, options, status, expected attributes)
STATUS_CASES = [
    pytest.param(
        # T = 18.5 x 0.5 = 9.25; 15.0 > 9.25 so not achieved; Δ = -3.5; SE = 1.2 / 3.92 = 0.306 each;
        # z = 3.5 / 0.433 = 8.08 >= 1.96; p x Δ = 3.5 > 0; s = -3.5 / -9.25 = 0.378; e = 4 / 8 = 0.5; s < e.
        [P(2017, 18.5, 17.9, 19.1), P(2021, 15.0, 14.4, 15.6)],
        {"polarity": -1, "kind": "relative", "value": -0.5, "baseline_year": 2017},
        "behind",
        {"target_value": 9.25, "delta": -3.5, "z": 8.08, "share_achieved": 0.378, "share_time_elapsed": 0.5},
        id="worked_example_behind",
    ),
    pytest.param(
        # p x (91 - 90) = 1 >= 0.
        [P(2017, 85.0), P(2021, 91.0)],
        {},
        "achieved",
        {"target_value": 90.0},
        id="achieved_higher_is_better",
    ),
    pytest.param(
        # p x (90 - 90) = 0 >= 0: reaching the target exactly counts.
        [P(2017, 85.0), P(2021, 90.0)],
        {},
        "achieved",
        {},
        id="achieved_exactly_at_target",
    ),
    pytest.param(
        # T = 12.3 x 1.1 = 13.53 (13.530000000000001 in floats); 13.53 reaches it.
        [P(2017, 12.3), P(2021, 13.53)],
        {"kind": "relative", "value": 0.1},
        "achieved",
        {"target_value": 13.53},
        id="achieved_relative_target_despite_float_noise",
    ),
    pytest.param(
        # p = -1, T = 10: -1 x (9.5 - 10) = 0.5 >= 0.
        [P(2017, 14.0), P(2021, 9.5)],
        {"polarity": -1, "value": 10.0},
        "achieved",
        {},
        id="achieved_lower_is_better",
    ),
    pytest.param(
        # T = 50 + 10 = 60; p x (61 - 60) = 1 >= 0.
        [P(2017, 50.0), P(2021, 61.0)],
        {"kind": "points", "value": 10.0},
        "achieved",
        {"target_value": 60.0},
        id="achieved_points_target",
    ),
    pytest.param(
        # Δ = 12 >= 0.10 x 70 = 7: certain, good; s = 12 / (90 - 70) = 0.6; e = 4 / 8 = 0.5; s >= e.
        [P(2017, 70.0), P(2021, 82.0)],
        {},
        "on_track",
        {"share_achieved": 0.6, "share_time_elapsed": 0.5, "certainty_rule": "ten_percent", "z": None},
        id="on_track_absolute",
    ),
    pytest.param(
        # Δ = 10 >= 7; s = 10 / 20 = 0.5; e = 4 / 8 = 0.5; s = e counts as on track.
        [P(2017, 70.0), P(2021, 80.0)],
        {},
        "on_track",
        {"share_achieved": 0.5, "share_time_elapsed": 0.5},
        id="on_track_when_share_equals_time",
    ),
    pytest.param(
        # T = 50 x 1.2 = 60; Δ = 7 >= 5; s = 7 / 10 = 0.7; e = 0.5.
        [P(2017, 50.0), P(2021, 57.0)],
        {"kind": "relative", "value": 0.2},
        "on_track",
        {"target_value": 60.0, "share_achieved": 0.7},
        id="on_track_relative_higher_is_better",
    ),
    pytest.param(
        # p = -1, T = 30 - 6 = 24; Δ = -3, |Δ| = 3 >= 0.10 x 30 = 3 (exactly 10 % is certain);
        # s = -3 / -6 = 0.5; e = (2022 - 2017) / 8 = 0.625; s < e.
        [P(2017, 30.0), P(2022, 27.0)],
        {"polarity": -1, "kind": "points", "value": -6.0},
        "behind",
        {"target_value": 24.0, "share_achieved": 0.5, "share_time_elapsed": 0.625},
        id="behind_points_target_lower_is_better",
    ),
    pytest.param(
        # Ty = 2020, b = 2016; Δ = 10 >= 7; s = 0.5; e = (2022 - 2016) / (2020 - 2016) = 1.5, clamped to 1.
        [P(2016, 70.0), P(2022, 80.0)],
        {"target_year": 2020, "baseline_year": 2016},
        "behind",
        {"share_achieved": 0.5, "share_time_elapsed": 1.0},
        id="behind_with_e_clamped_after_target_year",
    ),
    pytest.param(
        # Ty = 2020 = l; Δ = 19 >= 7; s = 19 / 20 = 0.95; e = 4 / 4 = 1 exactly.
        [P(2016, 70.0), P(2020, 89.0)],
        {"target_year": 2020, "baseline_year": 2016},
        "behind",
        {"share_achieved": 0.95, "share_time_elapsed": 1.0},
        id="behind_with_e_exactly_one",
    ),
    pytest.param(
        # p = -1, T = 40. Δ = -2 is under 10 % of 50, but SE = 1 / 3.92 = 0.255 each, z = 2 / 0.361 = 5.54:
        # the CIs decide, certain. s = -2 / -10 = 0.2; e = 0.5.
        [P(2017, 50.0, 49.5, 50.5), P(2021, 48.0, 47.5, 48.5)],
        {"polarity": -1, "value": 40.0},
        "behind",
        {"certainty_rule": "z", "z": 5.54, "share_achieved": 0.2},
        id="behind_certain_by_z_though_under_ten_percent",
    ),
    pytest.param(
        # Direction, p = -1, agreement 2024-2027, Y = 2026: baseline = latest in or before 2024 = 2021.
        # Δ = -2; SE = 2 / 3.92 = 0.510 each; z = 2 / 0.722 = 2.77 >= 1.96; p x Δ = 2 > 0; e = 4 / 6.
        [P(2021, 20.0, 19.0, 21.0), P(2025, 18.0, 17.0, 19.0)],
        {"polarity": -1, **DIRECTION, "start": 2024, "end": 2027, "evaluation_year": 2026},
        "improving",
        {"target_value": None, "target_year": 2027, "z": 2.77, "share_time_elapsed": 0.667},
        id="improving_direction_lower_is_better",
    ),
    pytest.param(
        # Direction, p = +1: Δ = 5 >= 0.10 x 40 = 4.
        [P(2017, 40.0), P(2021, 45.0)],
        DIRECTION,
        "improving",
        {"share_achieved": None, "target_year": 2025},
        id="improving_direction_higher_is_better",
    ),
    pytest.param(
        # Δ = 3.3 - 3.0 = 0.3 (0.2999999999999998 in floats) >= 0.10 x 3 = 0.3: exactly 10 % is certain.
        [P(2017, 3.0), P(2021, 3.3)],
        DIRECTION,
        "improving",
        {},
        id="improving_at_exactly_ten_percent_despite_float_noise",
    ),
    pytest.param(
        # As improving_direction_lower_is_better but Δ = +2: z = 2.77, p x Δ = -2 < 0.
        [P(2021, 20.0, 19.0, 21.0), P(2025, 22.0, 21.0, 23.0)],
        {"polarity": -1, **DIRECTION, "start": 2024, "end": 2027, "evaluation_year": 2026},
        "worsening",
        {},
        id="worsening_direction",
    ),
    pytest.param(
        # Δ = -10 >= 8 (10 % of 80): certain, p x Δ < 0; s = -10 / 10 = -1.
        [P(2017, 80.0), P(2021, 70.0)],
        {},
        "worsening",
        {"share_achieved": -1.0},
        id="worsening_with_target",
    ),
    pytest.param(
        # p = -1, T = 9.25; Δ = -0.5; z = 0.5 / 0.433 = 1.15 < 1.96.
        [P(2017, 18.5, 17.9, 19.1), P(2021, 18.0, 17.4, 18.6)],
        {"polarity": -1, "kind": "relative", "value": -0.5},
        "no_change",
        {"certainty_rule": "z", "z": 1.15},
        id="no_change_by_z",
    ),
    pytest.param(
        # Δ = 7.9 < 8 (10 % of 80), no CIs.
        [P(2017, 80.0), P(2021, 87.9)],
        {},
        "no_change",
        {"certainty_rule": "ten_percent", "z": None},
        id="no_change_by_ten_percent",
    ),
    pytest.param(
        # Only the baseline has a CI, so the 10 % rule applies: |Δ| = 2 < 5 (10 % of 50).
        [P(2017, 50.0, 49.5, 50.5), P(2021, 48.0)],
        {"polarity": -1, "value": 40.0},
        "no_change",
        {"certainty_rule": "ten_percent"},
        id="no_change_when_one_ci_is_missing",
    ),
    pytest.param(
        # Δ = 0 from a baseline of 0: 0 >= 10 % of 0 would hold, but no change is never a certain change.
        [P(2017, 0.0), P(2021, 0.0)],
        DIRECTION,
        "no_change",
        {"delta": 0.0},
        id="no_change_when_nothing_changed_from_zero",
    ),
    pytest.param(
        # Baseline 92 met T = 90 (p x (90 - 92) = -2 <= 0), latest 88 does not. Δ = -4;
        # SE = 1 / 3.92 = 0.255 each; z = 4 / 0.361 = 11.09 >= 1.96: certain.
        [P(2017, 92.0, 91.5, 92.5), P(2021, 88.0, 87.5, 88.5)],
        {},
        "worsening",
        {"share_achieved": None},
        id="worsening_when_met_baseline_falls_short_certainly",
    ),
    pytest.param(
        # Baseline 92 met T = 90, latest 89 does not; Δ = -3 < 9.2 (10 % of 92): not certain.
        [P(2017, 92.0), P(2021, 89.0)],
        {},
        "no_change",
        {"share_achieved": None},
        id="no_change_when_met_baseline_falls_short_uncertainly",
    ),
    pytest.param(
        # Baseline 90 = T, so p x (T - v_b) = 0 <= 0: met. Latest 89 misses; Δ = -1 < 9. s is never 1 / 0.
        [P(2017, 90.0), P(2021, 89.0)],
        {},
        "no_change",
        {"share_achieved": None},
        id="no_change_when_baseline_equals_target",
    ),
    pytest.param(
        # Baseline 92 met T = 90 and latest 91 still does.
        [P(2017, 92.0), P(2021, 91.0)],
        {},
        "achieved",
        {},
        id="achieved_when_met_baseline_still_meets",
    ),
]


@pytest.mark.parametrize(("points", "options", "status", "expected"), STATUS_CASES)
def test_it_gives_the_status_computed_by_hand(points, options, status, expected):
    evaluation = measure(*points, **options)

    assert evaluation.status == status
    assert evaluation.label == STATUS_LABELS[status]
    for name, value in expected.items():
        actual = getattr(evaluation, name)
        assert actual == (value if value is None else pytest.approx(value, abs=0.005)), name


# Points 2015: 60, 2017: 70, 2019: 75, 2021: 82, agreement from 2018.
HISTORY = [P(2015, 60.0), P(2017, 70.0), P(2019, 75.0), P(2021, 82.0)]


def test_it_takes_the_latest_value_in_or_before_the_first_year_as_default_baseline():
    # Baseline 2017 (70), latest 2021 (82): Δ = 12 >= 7; s = 12 / 20 = 0.6; e = 4 / 8 = 0.5.
    evaluation = measure(*HISTORY, start=2018)

    assert (evaluation.baseline.year, evaluation.latest.year) == (2017, 2021)
    assert evaluation.status == "on_track"


def test_it_uses_the_targets_baseline_year_when_given():
    # Baseline 2019 (75), latest 82: Δ = 7 < 7.5 (10 % of 75).
    evaluation = measure(*HISTORY, start=2018, baseline_year=2019)

    assert evaluation.baseline.year == 2019
    assert evaluation.status == "no_change"


def test_it_ignores_values_after_the_evaluation_year():
    # Y = 2020: latest is 2019 (75); Δ = 75 - 70 = 5 < 7.
    evaluation = measure(*HISTORY, start=2018, evaluation_year=2020)

    assert evaluation.latest.year == 2019
    assert evaluation.data_year == 2019
    assert evaluation.status == "no_change"


def test_one_series_evaluated_at_every_year_takes_each_years_latest_value_after_the_baseline():
    # The refresh evaluates a series at each of its years through one SeriesEvaluation. Points given out
    # of order, with a gap and a missing value: at each year the latest is the last value in or before it
    # and after the baseline (2017), or none.
    series = SeriesEvaluation(
        polarity=1,
        target=TargetSpec(kind="direction", value=None, target_year=None, baseline_year=None),
        points=[P(2021, 82.0), P(2015, 60.0), P(2019, None), P(2017, 70.0), P(2023, 79.0)],
        agreement_start_year=2018,
        agreement_end_year=2025,
    )
    assert series.baseline.year == 2017
    latest = {year: series.at(year).latest for year in range(2014, 2027)}
    assert {year: point.year if point else None for year, point in latest.items()} == {
        **dict.fromkeys(range(2014, 2021)),
        **dict.fromkeys((2021, 2022), 2021),
        **dict.fromkeys(range(2023, 2027), 2023),
    }
    assert [series.at(year).status for year in (2020, 2021, 2023)] == ["no_data", "improving", "improving"]


NO_DATA_CASES = [
    pytest.param(
        [P(2017, 70.0), P(2021, 82.0)],
        {"baseline_year": 2016},
        "Der er ingen værdi fra basisåret 2016, så udviklingen kan ikke vurderes.",
        id="no_value_in_the_baseline_year",
    ),
    pytest.param(
        [P(2018, 70.0), P(2021, 82.0)],
        {},
        "Der er ingen værdi fra 2017 eller før, så der er intet udgangspunkt at måle fra.",
        id="no_value_in_or_before_the_first_year",
    ),
    pytest.param(
        [P(2017, 70.0)],
        {},
        "Udgangspunktet er 70,0 % (2017), men der er ingen nyere værdi til og med 2022, "
        "så udviklingen kan ikke vurderes.",
        id="nothing_after_the_baseline",
    ),
    pytest.param(
        [P(2017, 70.0), P(2023, 85.0)],
        {},
        "Udgangspunktet er 70,0 % (2017), men der er ingen nyere værdi til og med 2022, "
        "så udviklingen kan ikke vurderes.",
        id="only_a_value_after_the_evaluation_year",
    ),
    pytest.param(
        [P(2017, 70.0), P(2021, None)],
        {},
        "Udgangspunktet er 70,0 % (2017), men der er ingen nyere værdi til og med 2022, "
        "så udviklingen kan ikke vurderes.",
        id="a_later_point_without_value",
    ),
    pytest.param(
        [],
        {},
        "Der er ingen værdi fra 2017 eller før, så der er intet udgangspunkt at måle fra.",
        id="no_points",
    ),
]


@pytest.mark.parametrize(("points", "options", "explanation"), NO_DATA_CASES)
def test_it_says_which_data_is_missing(points, options, explanation):
    evaluation = measure(*points, **options)

    assert evaluation.status == "no_data"
    assert evaluation.label == "Mangler data"
    assert evaluation.explanation == explanation
    assert evaluation.latest is None
    assert evaluation.data_year is None


def test_it_cannot_compute_a_relative_target_without_a_baseline():
    evaluation = measure(P(2021, 15.0), kind="relative", value=-0.5)

    assert evaluation.status == "no_data"
    assert evaluation.target_value is None


def test_it_says_when_new_data_is_expected_even_without_data():
    evaluation = measure(P(2017, 70.0), next_data_year=2025)

    assert evaluation.explanation.endswith("så udviklingen kan ikke vurderes. Nye data forventes i 2025.")


FLAG_CASES = [
    pytest.param(
        # 91 reaches 90, but the CI's lower bound 89.5 < 90.
        [P(2017, 85.0, 84.0, 86.0), P(2021, 91.0, 89.5, 92.5)],
        {},
        "achieved",
        ("uncertain",),
        id="uncertain_higher_is_better",
    ),
    pytest.param(
        # p = -1, T = 10: 9.5 reaches it, but the CI's upper bound 10.2 > 10.
        [P(2017, 14.0, 13.0, 15.0), P(2021, 9.5, 8.8, 10.2)],
        {"polarity": -1, "value": 10.0},
        "achieved",
        ("uncertain",),
        id="uncertain_lower_is_better",
    ),
    pytest.param(
        # The CI's lower bound is exactly 90: no value in it is on the wrong side.
        [P(2017, 85.0, 84.0, 86.0), P(2021, 91.0, 90.0, 92.0)],
        {},
        "achieved",
        (),
        id="not_uncertain_when_ci_touches_target",
    ),
    pytest.param(
        # Behind (s = 0.2 < e = 0.5): the CI is not compared with the target unless the target is reached.
        [P(2017, 50.0, 49.5, 50.5), P(2021, 48.0, 47.5, 48.5)],
        {"polarity": -1, "value": 40.0},
        "behind",
        (),
        id="not_uncertain_unless_achieved",
    ),
    pytest.param(
        [P(2017, 70.0, estimated=True), P(2021, 82.0)],
        {},
        "on_track",
        ("estimated",),
        id="estimated_baseline",
    ),
    pytest.param(
        [P(2017, 85.0, 84.0, 86.0), P(2021, 91.0, 89.5, 92.5, estimated=True)],
        {},
        "achieved",
        ("uncertain", "estimated"),
        id="estimated_and_uncertain_latest",
    ),
    pytest.param(
        [P(2017, 70.0, estimated=True)],
        {},
        "no_data",
        ("estimated",),
        id="estimated_baseline_without_later_data",
    ),
]


@pytest.mark.parametrize(("points", "options", "status", "flags"), FLAG_CASES)
def test_it_flags_beside_the_status(points, options, status, flags):
    evaluation = measure(*points, **options)

    assert evaluation.flags == flags
    assert evaluation.status == status


def test_it_explains_the_worked_example_exactly():
    # One plain sentence of what moved and whether it is more than chance, then the numbers behind it.
    assert worked_example().explanation == (
        "Andelen er faldet fra 18,5 % i 2017 til 15,0 % i 2021. Faldet er større, end det kan skyldes "
        "tilfældigheder, men for langsomt til at nå målet på 9,3 % i 2025. "
        "38 % af den ønskede ændring er nået, men 50 % af tiden er gået: fremgang, men for langsomt."
    )


def test_the_plain_sentences_come_first_and_the_rule_behind_them_is_a_detail():
    from goals.progress.explain import explain

    parts = explain(measure(P(2017, 92.0, 91.5, 92.5), P(2021, 88.0, 87.5, 88.5)), 1, "percent")

    assert parts.plain == (
        "Andelen er faldet fra 92,0 % i 2017 til 88,0 % i 2021. "
        "Faldet er større, end det kan skyldes tilfældigheder, og i den forkerte retning."
    )
    assert "standardfejl" not in parts.plain
    assert any("11,09 standardfejl" in sentence for sentence in parts.details)


def test_explanations_follow_the_active_language_but_the_stored_text_stays_danish():
    from django.utils import translation

    from goals.progress.explain import explain

    with translation.override("en"):
        evaluation = worked_example()
        parts = explain(evaluation, -1, "percent")
    # English notation for numbers on English pages (the words come from the English catalogue).
    assert "18.5 %" in parts.plain and "18,5" not in parts.plain
    assert evaluation.explanation.startswith("Andelen er faldet fra 18,5 % i 2017")


def test_it_names_the_data_year_and_when_new_data_is_expected():
    explanation = worked_example(next_data_year=2025).explanation

    assert explanation.endswith(
        "fremgang, men for langsomt. Vurderingen bygger på data fra 2021; nye data forventes i 2025."
    )


EXPLANATION_CASES = [
    pytest.param(
        [P(2017, 85.0), P(2021, 91.0)],
        {},
        "Andelen er steget fra 85,0 % i 2017 til 91,0 % i 2021. Målet på 90,0 % er nået.",
        id="achieved",
    ),
    pytest.param(
        [P(2017, 85.0, 84.0, 86.0), P(2021, 91.0, 89.5, 92.5)],
        {},
        "Andelen er steget fra 85,0 % i 2017 til 91,0 % i 2021. Målet på 90,0 % er nået, men det "
        "er usikkert. Konfidensintervallet (89,5 %–92,5 %) rummer også værdier, der ikke når "
        "målet.",
        id="achieved_uncertain",
    ),
    pytest.param(
        # s = 0.6, e = 0.5.
        [P(2017, 70.0), P(2021, 82.0)],
        {},
        "Andelen er steget fra 70,0 % i 2017 til 82,0 % i 2021. Stigningen er større, end det kan "
        "skyldes tilfældigheder, og hurtig nok til at nå målet på 90,0 % i 2025. 60 % af den "
        "ønskede ændring er nået, og 50 % af tiden er gået: på rette vej.",
        id="on_track",
    ),
    pytest.param(
        # z = 2.77.
        [P(2021, 20.0, 19.0, 21.0), P(2025, 18.0, 17.0, 19.0)],
        {"polarity": -1, **DIRECTION, "start": 2024, "end": 2027, "evaluation_year": 2026},
        "Andelen er faldet fra 20,0 % i 2021 til 18,0 % i 2025. Faldet er større, end det kan "
        "skyldes tilfældigheder, og i den ønskede retning. Målet er, at andelen bliver mindre "
        "frem mod 2027. Ændringen er sikker (forskellen svarer til 2,77 standardfejl, og der "
        "kræves mindst 1,96) og i den ønskede retning: udvikling i ønsket retning.",
        id="improving",
    ),
    pytest.param(
        # 10 % of 80 = 8.00; Δ = 7.90.
        [P(2017, 80.0), P(2021, 87.9)],
        {},
        "Andelen er steget fra 80,0 % i 2017 til 87,9 % i 2021. Stigningen er så lille, at den "
        "kan skyldes tilfældigheder. Målet er 90,0 % i 2025. Ændringen er ikke sikker (uden "
        "konfidensintervaller kræves en ændring på mindst 10 % af udgangsværdien, her 8,00 "
        "procentpoint; ændringen er 7,90 procentpoint): ingen sikker ændring.",
        id="no_change_by_ten_percent",
    ),
    pytest.param(
        # z = 4 / 0.361 = 11.09.
        [P(2017, 92.0, 91.5, 92.5), P(2021, 88.0, 87.5, 88.5)],
        {},
        "Andelen er faldet fra 92,0 % i 2017 til 88,0 % i 2021. Faldet er større, end det kan "
        "skyldes tilfældigheder, og i den forkerte retning. Målet er 90,0 % i 2025. "
        "Udgangspunktet nåede allerede målet, men det seneste tal gør ikke. Ændringen er sikker "
        "(forskellen svarer til 11,09 standardfejl, og der kræves mindst 1,96) og i den forkerte "
        "retning: forværring.",
        id="worsening_from_a_met_baseline",
    ),
    pytest.param(
        # Δ = -3 < 9.2.
        [P(2017, 92.0), P(2021, 89.0)],
        {},
        "Andelen er faldet fra 92,0 % i 2017 til 89,0 % i 2021. Faldet er så lille, at det kan "
        "skyldes tilfældigheder. Målet er 90,0 % i 2025. Udgangspunktet nåede allerede målet, men "
        "det seneste tal gør ikke. Ændringen er ikke sikker (uden konfidensintervaller kræves en "
        "ændring på mindst 10 % af udgangsværdien, her 9,20 procentpoint; ændringen er 3,00 "
        "procentpoint): ingen sikker ændring.",
        id="no_change_from_a_met_baseline",
    ),
    pytest.param(
        # Δ = -10 >= 8.
        [P(2017, 80.0), P(2021, 70.0)],
        {},
        "Andelen er faldet fra 80,0 % i 2017 til 70,0 % i 2021. Faldet er større, end det kan "
        "skyldes tilfældigheder, og i den forkerte retning. Målet er 90,0 % i 2025. Ændringen er "
        "sikker (uden konfidensintervaller kræves en ændring på mindst 10 % af udgangsværdien, "
        "her 8,00 procentpoint; ændringen er 10,00 procentpoint) og i den forkerte retning: "
        "forværring.",
        id="worsening",
    ),
    pytest.param(
        # Life expectancy in years: Δ = 1.1 < 7.8.
        [P(2017, 78.0), P(2021, 79.1)],
        {**DIRECTION, "unit": "years"},
        "Værdien er steget fra 78,0 år i 2017 til 79,1 år i 2021. Stigningen er så lille, at den "
        "kan skyldes tilfældigheder. Målet er, at værdien bliver større frem mod 2025. Ændringen "
        "er ikke sikker (uden konfidensintervaller kræves en ændring på mindst 10 % af "
        "udgangsværdien, her 7,80 år; ændringen er 1,10 år): ingen sikker ændring.",
        id="years_unit",
    ),
    pytest.param(
        # p = -1, T = 1500; Δ = -300 >= 200; s = -300 / -500 = 0.6; e = 0.5.
        [P(2017, 2000.0), P(2021, 1700.0)],
        {"polarity": -1, "value": 1500.0, "unit": "count"},
        "Værdien er faldet fra 2.000,0 i 2017 til 1.700,0 i 2021. Faldet er større, end det kan "
        "skyldes tilfældigheder, og hurtigt nok til at nå målet på 1.500,0 i 2025. 60 % af den "
        "ønskede ændring er nået, og 50 % af tiden er gået: på rette vej.",
        id="count_unit_with_thousands",
    ),
    pytest.param(
        [P(2017, 50.0), P(2021, 50.0)],
        DIRECTION,
        "Andelen er uændret: 50,0 % i både 2017 og 2021. Målet er, at andelen bliver større frem "
        "mod 2025. Ændringen er ikke sikker (uden konfidensintervaller kræves en ændring på "
        "mindst 10 % af udgangsværdien, her 5,00 procentpoint; ændringen er 0,00 procentpoint): "
        "ingen sikker ændring.",
        id="unchanged",
    ),
    pytest.param(
        # Δ = 12 >= 7; s = 0.6, e = 0.5.
        [P(2017, 70.0, estimated=True), P(2021, 82.0)],
        {"unit": "per_1000"},
        "Værdien er steget fra 70,0 pr. 1.000 i 2017 til 82,0 pr. 1.000 i 2021. Stigningen er "
        "større, end det kan skyldes tilfældigheder, og hurtig nok til at nå målet på 90,0 pr. "
        "1.000 i 2025. 60 % af den ønskede ændring er nået, og 50 % af tiden er gået: på rette "
        "vej. Mindst ét af tallene er beregnet ud fra kommunernes tal og ikke offentliggjort.",
        id="per_1000_unit_and_estimated",
    ),
]


@pytest.mark.parametrize(("points", "options", "explanation"), EXPLANATION_CASES)
def test_it_explains_the_values_years_and_rule(points, options, explanation):
    assert measure(*points, **options).explanation == explanation


def test_it_rejects_two_values_in_one_year():
    with pytest.raises(ValueError, match="Flere værdier for samme år: 2017"):
        measure(P(2017, 70.0), P(2017, 71.0), P(2021, 82.0))


def test_it_rejects_a_value_outside_its_ci():
    with pytest.raises(ValueError, match="nedre <= værdi <= øvre"):
        P(2017, 70.0, 71.0, 72.0)


@pytest.mark.parametrize(
    ("kind", "value", "target_year"),
    [("ratio", 1.0, 2025), ("absolute", None, 2025), ("relative", -0.1, None), ("direction", 5.0, None)],
)
def test_it_rejects_an_incomplete_target(kind, value, target_year):
    with pytest.raises(ValueError):
        TargetSpec(kind=kind, value=value, target_year=target_year, baseline_year=None)


def test_it_recovers_the_standard_error_from_the_ci():
    # (19.1 - 17.9) / 3.92 = 0.306
    assert P(2017, 18.5, 17.9, 19.1).se == pytest.approx(0.306, abs=0.001)
    assert P(2017, 18.5, 17.9).se is None


# Roll-up


def test_it_counts_every_status_and_heads_with_the_weakest():
    result = rollup(["achieved", "behind", "no_data", "on_track", "achieved"])

    assert list(result.counts) == list(STATUS_ORDER)
    assert result.counts == {
        "no_data": 1,
        "achieved": 2,
        "on_track": 1,
        "behind": 1,
        "improving": 0,
        "no_change": 0,
        "worsening": 0,
    }
    assert result.headline == "behind"
    assert result.label == "Fremgang, men for langsomt"


@pytest.mark.parametrize(
    ("statuses", "headline"),
    [
        (["achieved", "worsening", "no_change"], "worsening"),
        (["achieved", "no_change", "behind"], "no_change"),
        (["no_data", "achieved"], "achieved"),
        (["no_data", "no_data"], "no_data"),
        (["improving", "achieved"], "improving"),
        (["on_track", "achieved"], "on_track"),
        (["improving", "on_track"], "on_track"),
    ],
)
def test_it_heads_with_the_weakest_status_with_data(statuses, headline):
    assert rollup(statuses).headline == headline


def test_it_has_no_headline_for_nothing():
    result = rollup([])

    assert result.headline is None
    assert result.label is None
    assert set(result.counts.values()) == {0}


def test_it_rejects_an_unknown_status():
    with pytest.raises(ValueError, match="Ukendt status"):
        rollup(["green"])


def test_it_states_the_rollup_rule_in_danish():
    assert "Forværring < Ingen sikker ændring" in ROLLUP_RULE
    assert "»Mangler data« tælles med" in ROLLUP_RULE


# Benchmarks: area 50 (48-52).


@pytest.mark.parametrize(
    ("polarity", "benchmark", "result"),
    [
        (1, 45.0, "better"),  # benchmark below the CI, higher is better
        (1, 55.0, "worse"),  # benchmark above the CI
        (-1, 45.0, "worse"),  # benchmark below the CI, lower is better
        (-1, 55.0, "better"),
        (1, 51.0, "similar"),  # inside the CI
        (1, 52.0, "similar"),  # on the CI's bound counts as inside
    ],
)
def test_it_compares_an_area_with_its_benchmark(polarity, benchmark, result):
    outcome = compare_with_benchmark(
        polarity=polarity, area_value=50.0, area_ci_low=48.0, area_ci_high=52.0, benchmark_value=benchmark
    )

    assert outcome == result


def test_it_does_not_compare_an_area_without_a_ci():
    outcome = compare_with_benchmark(
        polarity=1, area_value=50.0, area_ci_low=None, area_ci_high=None, benchmark_value=10.0
    )

    assert outcome == "not_compared"


# Cluster values


def test_it_weights_a_clusters_municipalities_by_population():
    # (10 x 1000 + 20 x 3000) / 4000 = 17.5
    assert cluster_value([(10.0, 1000), (20.0, 3000)]) == pytest.approx(17.5)


@pytest.mark.parametrize("members", [[], [(10.0, 1000), (None, 3000)], [(10.0, 0)]])
def test_it_gives_no_cluster_value_when_a_mean_would_mislead(members):
    assert cluster_value(members) is None


# The JSON contract

WORKED_JSON = {
    "polarity": "lower",
    "target": {"kind": "relative", "value": -0.5, "year": 2025},
    "baseline_year": 2017,
    "evaluation_year": 2022,
    "observations": [
        {"year": 2017, "value": 18.5, "ci_low": 17.9, "ci_high": 19.1},
        {"year": 2021, "value": 15.0, "ci_low": 14.4, "ci_high": 15.6},
    ],
}


def test_it_evaluates_the_worked_example_from_json():
    result = evaluate_from_json(WORKED_JSON)

    assert result["status"] == "behind"
    assert result["label"] == "Fremgang, men for langsomt"
    assert result["flags"] == []
    assert result["target_value"] == pytest.approx(9.25)
    assert (result["baseline_year"], result["latest_year"]) == (2017, 2021)
    assert result["delta"] == pytest.approx(-3.5)
    assert result["z"] == pytest.approx(8.08, abs=0.01)
    assert result["share_achieved"] == pytest.approx(0.378, abs=0.001)
    assert result["share_time_elapsed"] == pytest.approx(0.5)
    assert result["explanation"] == worked_example().explanation


def test_it_takes_the_earliest_observation_as_baseline_and_the_target_year_as_period_end():
    # Baseline 2019 (20), latest 2023 (17): Δ = -3, |Δ| >= 2 (10 % of 20), good; e = 4 / (2027 - 2019) = 0.5.
    payload = {
        "polarity": "lower",
        "target": {"kind": "direction", "year": 2027},
        "evaluation_year": 2024,
        "observations": [
            {"year": 2021, "value": 21.0},
            {"year": 2019, "value": 20.0},
            {"year": 2023, "value": 17.0},
        ],
    }

    result = evaluate_from_json(payload)

    assert result["status"] == "improving"
    assert result["target_value"] is None
    assert (result["baseline_year"], result["latest_year"]) == (2019, 2023)
    assert result["share_time_elapsed"] == pytest.approx(0.5)
    assert "frem mod 2027" in result["explanation"]


def test_it_skips_observations_without_a_value():
    payload = {**WORKED_JSON, "baseline_year": None}
    payload["observations"] = [{"year": 2015, "value": None}, *WORKED_JSON["observations"]]

    assert evaluate_from_json(payload)["baseline_year"] == 2017


def with_changes(**changes):
    return {**WORKED_JSON, **changes}


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (with_changes(polarity="up"), 'polarity skal være "lower" eller "higher"'),
        (with_changes(target={"kind": "ratio", "value": 1, "year": 2025}), "Ukendt måltype 'ratio'"),
        (with_changes(target={"kind": "absolute", "year": 2025}), "skal have både en værdi og et målår"),
        (with_changes(target={"kind": "direction", "value": 5, "year": 2025}), "kun angiver retning"),
        (
            with_changes(target={"kind": "absolute", "value": True, "year": 2025}),
            "target.value skal være et tal",
        ),
        (with_changes(target={"kind": "direction"}), "target.year mangler"),
        (with_changes(evaluation_year=None), "evaluation_year mangler"),
        (with_changes(observations={"2017": 18.5}), "observations skal være en liste"),
        (
            with_changes(observations=[{"year": 2017, "value": "18,5"}]),
            r"observations\[0\].value skal være et tal",
        ),
        (
            with_changes(observations=[{"year": "2017", "value": 18.5}]),
            r"observations\[0\].year skal være et helt tal",
        ),
        (
            with_changes(observations=[{"year": 2017, "value": 18.5, "ci_low": 19.0}, {}]),
            r"observations\[1\].year",
        ),
        (
            with_changes(observations=[{"year": 2017, "value": 18.5, "ci_low": 19, "ci_high": 20}]),
            "nedre <= værdi",
        ),
        ([], "Input skal være ét JSON-objekt"),
    ],
)
def test_it_rejects_bad_json_input_in_danish(payload, message):
    with pytest.raises(ValueError, match=message):
        evaluate_from_json(payload)


# The command


def run_command(text):
    stdout = io.StringIO()
    call_command("measure_status", "--json", stdin=io.StringIO(text), stdout=stdout)
    return stdout.getvalue()


def test_it_prints_the_status_as_json_keeping_danish_letters():
    output = run_command(json.dumps(WORKED_JSON))

    assert json.loads(output)["status"] == "behind"
    assert "ønskede ændring" in output


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (json.dumps(with_changes(polarity="up")), "polarity skal være"),
        ("{not json", "Input er ikke gyldig JSON"),
        ("[1, 2]", "Input skal være ét JSON-objekt"),
    ],
)
def test_it_prints_an_error_object_for_invalid_input(text, message):
    stdout = io.StringIO()

    with pytest.raises(CommandError):
        call_command("measure_status", "--json", stdin=io.StringIO(text), stdout=stdout)

    assert message in json.loads(stdout.getvalue())["error"]


MANAGE_PY = Path(__file__).resolve().parents[2] / "manage.py"


@pytest.mark.parametrize(("payload", "exit_code"), [(WORKED_JSON, 0), (with_changes(polarity="up"), 1)])
def test_it_exits_with_1_only_on_invalid_input(payload, exit_code):
    completed = subprocess.run(
        [sys.executable, str(MANAGE_PY), "measure_status", "--json"],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=False,
    )

    assert completed.returncode == exit_code
    assert set(json.loads(completed.stdout)) >= ({"status"} if exit_code == 0 else {"error"})
