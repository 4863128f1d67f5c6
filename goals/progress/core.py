"""The status method's vocabulary: statuses, flags, target kinds, and the plain values it works on."""

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy as _

# The version of the status method (docs/status-method.md) these functions implement. A published status report
# stores it, so a reader can tell which rules its statuses were decided by; bump it with every change to
# `method` or `explain` that can change a status or its explanation.
METHOD_VERSION = "1.0"

NO_DATA = "no_data"
ACHIEVED = "achieved"
ON_TRACK = "on_track"
BEHIND = "behind"
IMPROVING = "improving"
NO_CHANGE = "no_change"
WORSENING = "worsening"

# The order of the method's table, used for counts and legends. The labels are the method's Danish words
# (the JSON contract prints them as they are, in Danish); pages show them in the reader's language.
STATUS_ORDER = (NO_DATA, ACHIEVED, ON_TRACK, BEHIND, IMPROVING, NO_CHANGE, WORSENING)
STATUS_LABELS = {
    NO_DATA: _("Mangler data"),
    ACHIEVED: _("Mål nået"),
    ON_TRACK: _("På rette vej"),
    BEHIND: _("Fremgang, men for langsomt"),
    IMPROVING: _("Udvikling i ønsket retning"),
    NO_CHANGE: _("Ingen sikker ændring"),
    WORSENING: _("Forværring"),
}

# Weakest first. on_track and improving share a rank; on_track is listed first so that it is the headline
# when both occur, because it was measured against a target.
_HEADLINE_ORDER = (WORSENING, NO_CHANGE, BEHIND, ON_TRACK, IMPROVING, ACHIEVED)
ROLLUP_RULE = _(
    "Overskriften er den svageste status blandt målingerne i rækkefølgen Forværring < Ingen sikker ændring "
    "< Fremgang, men for langsomt < På rette vej = Udvikling i ønsket retning < Mål nået. "
    "»Mangler data« tælles med, men er kun overskrift, når ingen af målingerne har data."
)


def in_danish(value) -> str:
    """A label (a lazy translation) as the method's Danish words, whatever language is active: for the
    JSON contracts, and for the audit trail, which is written once in the source language."""
    with translation.override("da"):
        return str(value)


UNCERTAIN = "uncertain"
ESTIMATED = "estimated"

Z_RULE = "z"
TEN_PERCENT_RULE = "ten_percent"
Z_95 = 1.96
TEN_PERCENT = 0.10

ABSOLUTE = "absolute"
RELATIVE = "relative"
POINTS = "points"
DIRECTION = "direction"
TARGET_KINDS = (ABSOLUTE, RELATIVE, POINTS, DIRECTION)

BETTER = "better"
WORSE = "worse"
SIMILAR = "similar"
NOT_COMPARED = "not_compared"

# How statuses and comparisons are shown, never by colour alone: each has its words, and an icon beside them.
# Pages, downloads and (given them by GoalsConfig.ready) the charts all read them from here.
STATUS_ICONS = {
    ACHIEVED: "✓",
    ON_TRACK: "↗",
    IMPROVING: "↗",
    BEHIND: "→",
    NO_CHANGE: "≈",
    WORSENING: "↘",
    NO_DATA: "?",
}
# Okabe-Ito hues, which colour-blind readers tell apart; no data is left white.
STATUS_COLOURS = {
    ACHIEVED: "#0B5394",
    ON_TRACK: "#009E73",
    IMPROVING: "#009E73",
    BEHIND: "#E69F00",
    NO_CHANGE: "#8A94A0",
    WORSENING: "#D55E00",
    NO_DATA: "#FFFFFF",
}
# Legends list the statuses best first: the roll-up's ladder from the top, then no data. (on_track and
# improving never meet in one legend: a measure has a target or only a direction.)
STATUS_LEGEND_ORDER = (*reversed(_HEADLINE_ORDER), NO_DATA)
COMPARISON_LABELS = {
    BETTER: _("Bedre end sammenligningsområdet"),
    SIMILAR: _("På niveau med sammenligningsområdet"),
    WORSE: _("Dårligere end sammenligningsområdet"),
    NOT_COMPARED: _("Ikke sammenlignet"),
}
# In a table whose column already names the area compared with.
COMPARISON_SHORT_LABELS = {
    BETTER: _("Bedre"),
    SIMILAR: _("På niveau"),
    WORSE: _("Dårligere"),
    NOT_COMPARED: _("Ikke sammenlignet"),
}
COMPARISON_ICONS = {BETTER: "+", SIMILAR: "=", WORSE: "−", NOT_COMPARED: "?"}

# Inputs are decimals stored as floats, so 12.3 x 1.1 is 13.530000000000001: a published 13.53 must still
# count as reaching that target. Comparisons forgive differences this small, relative to the numbers.
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Point:
    """One value of a measure in one year, with its 95 % confidence interval when the source publishes one."""

    year: int
    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    estimated: bool = False

    def __post_init__(self):
        # Written out rather than sorting the bounds: a status refresh makes hundreds of thousands of points.
        low, value, high = self.ci_low, self.value, self.ci_high
        if (
            low is not None
            and high is not None
            and not (low <= high if value is None else low <= value <= high)
        ):
            raise ValueError(
                f"{self.year}: konfidensintervallet skal opfylde nedre <= værdi <= øvre "
                f"(fik {self.ci_low}, {self.value}, {self.ci_high})."
            )

    @property
    def se(self) -> float | None:
        """The standard error, recovered from the 95 % CI because that is all the sources publish."""
        if self.ci_low is None or self.ci_high is None:
            return None
        return (self.ci_high - self.ci_low) / (2 * Z_95)


@dataclass(frozen=True)
class TargetSpec:
    """What a measure aims for. `value` is the level (absolute), the fraction (relative, -0.15), the change
    in points (points), or None (direction only)."""

    kind: str
    value: float | None
    target_year: int | None
    baseline_year: int | None

    def __post_init__(self):
        if self.kind not in TARGET_KINDS:
            raise ValueError(f"Ukendt måltype {self.kind!r}; brug en af {', '.join(TARGET_KINDS)}.")
        if self.kind == DIRECTION and self.value is not None:
            raise ValueError("Et mål, der kun angiver retning, har ingen værdi.")
        if self.kind != DIRECTION and (self.value is None or self.target_year is None):
            raise ValueError(f"Et mål af typen {self.kind!r} skal have både en værdi og et målår.")


@dataclass(frozen=True)
class Evaluation:
    """A measure's status with everything needed to explain it ("Hvorfor denne vurdering?")."""

    status: str
    flags: tuple[str, ...]
    baseline: Point | None
    target_value: float | None
    target_year: int | None
    # Defaults, because a no_data evaluation has none of the measured values.
    latest: Point | None = None
    delta: float | None = None
    z: float | None = None
    certainty_rule: str | None = None
    share_achieved: float | None = None
    share_time_elapsed: float | None = None
    next_data_year: int | None = None
    explanation: str = ""

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def data_year(self) -> int | None:
        """The survey year the status rests on."""
        return self.latest.year if self.latest else None


@dataclass(frozen=True)
class Rollup:
    """How many measures (or objectives) have each status, and the weakest of them as the headline."""

    counts: dict[str, int]
    headline: str | None

    @property
    def label(self) -> str | None:
        return STATUS_LABELS[self.headline] if self.headline else None


def _at_least(a: float, b: float) -> bool:
    return a >= b - _TOLERANCE * max(1.0, abs(a), abs(b))


def _baseline_met(polarity: int, target_value: float | None, baseline_value: float) -> bool:
    return target_value is not None and _at_least(polarity * (baseline_value - target_value), 0)
