"""What differs between two contents of one report (pure functions over `report_content_build`'s dicts):
a published report against today's data ("since publication"), and against last year's report."""

from dataclasses import dataclass


def _measures(content: dict) -> dict[int, dict]:
    return {m["id"]: m for v in content.get("visions", []) for o in v["objectives"] for m in o["measures"]}


def _name(m: dict) -> str:
    if m["kind"] != "indicator":
        return m["follow_up"]
    return m["indicator"]["name"] + (f" ({m['breakdown']})" if m.get("breakdown") else "")


@dataclass(frozen=True)
class StatusChange:
    measure_id: int
    name: str
    before: str  # status label
    after: str
    before_code: str
    after_code: str


@dataclass(frozen=True)
class ValueChange:
    measure_id: int
    name: str
    unit: str
    year: int
    before: float | None
    after: float | None


@dataclass(frozen=True)
class Changes:
    statuses: list[StatusChange]
    values: list[ValueChange]
    targets: list[tuple[int, str, str, str]]  # (measure id, name, target text before, after)
    removed: list[str]
    added: list[str]

    def __bool__(self):
        return bool(self.statuses or self.values or self.targets or self.removed or self.added)


def content_changes(before: dict, after: dict) -> Changes:
    """Follow-ups whose status differs, values revised (a year's value changed, added or removed), targets
    reworded, follow-ups removed or added; in the report's order."""
    old, new = _measures(before), _measures(after)
    statuses, values, targets = [], [], []
    for measure_id, m in old.items():
        n = new.get(measure_id)
        if n is None:
            continue
        if m["status"] != n["status"]:
            statuses.append(
                StatusChange(
                    measure_id, _name(n), m["status_label"], n["status_label"], m["status"], n["status"]
                )
            )
        if m["kind"] == "indicator" and n["kind"] == "indicator":
            values.extend(
                _value_changes(measure_id, _name(n), n["indicator"]["unit"], m["series"], n["series"])
            )
            if m["target"]["text"] != n["target"]["text"]:
                targets.append((measure_id, _name(n), m["target"]["text"], n["target"]["text"]))
    return Changes(
        statuses=statuses,
        values=values,
        targets=targets,
        removed=[_name(m) for i, m in old.items() if i not in new],
        added=[_name(m) for i, m in new.items() if i not in old],
    )


def _value_changes(measure_id, name, unit, before: list[dict], after: list[dict]) -> list[ValueChange]:
    old = {v["year"]: v["value"] for v in before}
    new = {v["year"]: v["value"] for v in after}
    return [
        ValueChange(measure_id, name, unit, year, old.get(year), new.get(year))
        for year in sorted(old.keys() | new.keys())
        if old.get(year) != new.get(year)
    ]


def status_changes(before: dict, after: dict) -> list[StatusChange]:
    """Last year's report against this one: the follow-ups whose status changed."""
    return content_changes(before, after).statuses
