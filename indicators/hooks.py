"""What `indicators` asks of the apps built on it, without importing them (docs/adr/0001-goals-indicators.md).

`indicators` stores values; `goals` turns them into statuses. Dependencies point one way, goals ->
indicators -> clusters, so where indicators needs an answer only goals can give (which statuses an upload
would change, which breakdowns the agreements follow), it declares the question here and goals registers
its answer in `GoalsConfig.ready()`. Without a registered answer (goals not installed) the defaults say
"nothing": no status changes, no followed breakdowns.

Values that cross the seam are plain: ids, codes and the frozen dataclasses below, never goals' models.
"""

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Protocol

# (indicator id, sex, age group, education); None where any value will do. What the status computation
# reads of an indicator's observations.
ReadPattern = tuple[int, str | None, str | None, str | None]
# An observation as the status computation reads it: these columns, in this order.
OBSERVATION_ROW = (
    "indicator_id",
    "area_id",
    "sex",
    "age_group",
    "education",
    "year",
    "value",
    "ci_low",
    "ci_high",
)
# The observations as they will be after a load, for the given patterns and area ids: the rows with a
# value, as OBSERVATION_ROW, ordered by indicator id (the rows of one indicator together).
AfterReader = Callable[[list[ReadPattern], list[int]], Iterable[tuple]]

# Which way a status change goes, for the reader: worse first.
WORSE = "worse"
OTHER = "other"
BETTER = "better"
DIRECTIONS = (WORSE, OTHER, BETTER)


@dataclass(frozen=True)
class StatusChange:
    """One stored status row (measure, area, breakdown, data year) whose status or comparison changes.

    `old_*` is None for a row that does not exist before, `new_*` for one that does not exist after.
    Statuses and comparisons are the codes `goal_status --json` prints (`improving`, `better`, "" for
    no comparison); the labels are the method's Danish words, as stored with the upload.
    """

    measure_id: int
    agreement: str  # the agreement's slug
    area: str  # the area's code
    sex: str
    age_group: str
    education: str
    year: int  # the data year the status rests on (0: the row before any value after the baseline)
    old_status: str | None
    new_status: str | None
    old_comparison: str | None
    new_comparison: str | None
    # For people: what the codes above name, and which way the change goes (WORSE, OTHER, BETTER).
    measure: str = ""
    agreement_title: str = ""
    area_name: str = ""
    breakdown: str = ""
    old_label: str = ""
    new_label: str = ""
    old_comparison_label: str = ""
    new_comparison_label: str = ""
    direction: str = OTHER

    # The keys of the `import_indicators --json` contract, in its order.
    CONTRACT = (
        "measure_id",
        "agreement",
        "area",
        "sex",
        "age_group",
        "education",
        "year",
        "old_status",
        "new_status",
        "old_comparison",
        "new_comparison",
    )

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "StatusChange":
        return cls(**{key: value for key, value in data.items() if key in cls.__dataclass_fields__})

    def contract(self) -> dict:
        return {key: getattr(self, key) for key in self.CONTRACT}


class StatusChangesProvider(Protocol):
    def __call__(self, *, indicator_ids: set[int], read_after: AfterReader) -> list[StatusChange]:
        """The stored statuses that would differ if the observations were those `read_after` gives.

        The provider calls `read_after` once, with the patterns and areas its computation reads, and
        writes nothing; it returns every changed status row, most important first."""


class MeasuredBreakdownsProvider(Protocol):
    def __call__(self) -> dict[str, list[tuple[str, str, str]]]:
        """Per indicator code, the (sex, age group, education) breakdowns that measures follow."""


def _no_status_changes(*, indicator_ids, read_after) -> list[StatusChange]:
    return []


def _no_breakdowns() -> dict[str, list[tuple[str, str, str]]]:
    return {}


class _Registry:
    """The answers registered by the apps above; one of each."""

    status_changes: StatusChangesProvider = staticmethod(_no_status_changes)
    measured_breakdowns: MeasuredBreakdownsProvider = staticmethod(_no_breakdowns)


registry = _Registry()


def register(
    *,
    status_changes: StatusChangesProvider | None = None,
    measured_breakdowns: MeasuredBreakdownsProvider | None = None,
) -> None:
    """Called from an AppConfig.ready(); registering again replaces the earlier answer."""
    if status_changes is not None:
        registry.status_changes = status_changes
    if measured_breakdowns is not None:
        registry.measured_breakdowns = measured_breakdowns
