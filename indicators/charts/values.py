"""The plain values the selectors hand to the chart functions."""

from dataclasses import dataclass

from .format import benchmark_label, format_number, status_label
from .style import BENCHMARK_STYLE, NOT_COMPARED


class _Texts:
    """The value and its CI as the tables show them ("16,3", "15,1–17,6"): the same rounding as the charts."""

    value: float | None
    ci_low: float | None
    ci_high: float | None

    @property
    def value_text(self) -> str:
        return format_number(self.value)

    @property
    def ci_text(self) -> str:
        if self.ci_low is None or self.ci_high is None:
            return ""
        return f"{format_number(self.ci_low)}–{format_number(self.ci_high)}"


@dataclass(frozen=True)
class Value(_Texts):
    """One value in one year, with its 95 % CI when published."""

    year: int
    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    is_sample: bool = False

    @property
    def has_ci(self) -> bool:
        return self.value is not None and self.ci_low is not None and self.ci_high is not None


@dataclass(frozen=True)
class Series:
    """One area's values over the years, oldest first."""

    name: str
    points: tuple[Value, ...]

    @property
    def is_sample(self) -> bool:
        return any(p.is_sample for p in self.points)


@dataclass(frozen=True)
class AreaValue(_Texts):
    """One area's value in one year, with its benchmark result and stored status (codes)."""

    code: str
    name: str
    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    benchmark: str = NOT_COMPARED
    status: str = ""
    is_sample: bool = False

    @property
    def benchmark_label(self) -> str:
        return benchmark_label(self.benchmark or NOT_COMPARED)

    @property
    def benchmark_icon(self) -> str:
        return BENCHMARK_STYLE[self.benchmark or NOT_COMPARED][2]

    @property
    def status_label(self) -> str:
        return status_label(self.status) if self.status else ""


@dataclass(frozen=True)
class GroupValue(_Texts):
    """One breakdown group's value (a sex or an age group) with its CI."""

    label: str
    value: float | None
    ci_low: float | None = None
    ci_high: float | None = None
    is_sample: bool = False
