"""An upload's preview: what confirming it would change, computed once its rows are staged.

`upload_preview_build(upload_id)` is the one entry point (called by `uploads.upload_validate` after
staging, and by `uploads.upload_load` again when other loads have moved the stored values since). The
result is a frozen `UploadPreview`, stored as `to_json()` in `Upload.preview` and shown whole by the upload
page and by `import_indicators`.
"""

from collections import Counter
from dataclasses import dataclass, replace

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .hooks import DIRECTIONS, StatusChange
from .ingest import load
from .models import Upload

# The status changes kept with the upload in full, most important first; every change is counted in
# `status_change_groups` whatever the number. A first upload into an empty database changes every status
# there is (tens of thousands of rows), which no one reads one by one and which would make the upload's
# row megabytes long.
STATUS_CHANGES_KEPT = 5000
# Rows shown per agreement and area on the page; the rest are counted ("og N flere").
STATUS_CHANGES_SHOWN_PER_GROUP = 10


@dataclass(frozen=True)
class StatusChangeGroup:
    """The status changes of one agreement in one area, counted by direction."""

    agreement: str
    agreement_title: str
    area: str
    area_name: str
    worse: int = 0
    other: int = 0
    better: int = 0

    @property
    def total(self) -> int:
        return self.worse + self.other + self.better

    def to_json(self) -> dict:
        return {
            "agreement": self.agreement,
            "agreement_title": self.agreement_title,
            "area": self.area,
            "area_name": self.area_name,
            "worse": self.worse,
            "other": self.other,
            "better": self.better,
        }


@dataclass(frozen=True)
class UploadPreview:
    """What loading the staged rows would change. Counts of new, changed and unchanged values are the
    upload's own columns (they are counted again at load time)."""

    staged: int
    # Stored sample values ("eksempeldata") the upload replaces with different content.
    replaces_sample: int = 0
    # The first changed values in file order, old -> new (load.changed_examples).
    changed_examples: tuple[dict, ...] = ()
    # Every status change up to STATUS_CHANGES_KEPT, most important first; the groups count them all.
    status_changes: tuple[StatusChange, ...] = ()
    status_changes_total: int = 0
    status_change_groups: tuple[StatusChangeGroup, ...] = ()
    # An earlier loaded upload of the very same file, if any.
    same_as_upload: int | None = None
    # The summary sentence the page and the command show.
    message: str = ""

    def to_json(self) -> dict:
        return {
            "staged": self.staged,
            "replaces_sample": self.replaces_sample,
            "changed_examples": list(self.changed_examples),
            "status_changes": [change.to_json() for change in self.status_changes],
            "status_changes_total": self.status_changes_total,
            "status_change_groups": [group.to_json() for group in self.status_change_groups],
            "same_as_upload": self.same_as_upload,
            "message": self.message,
        }

    @classmethod
    def from_json(cls, data: dict | None) -> "UploadPreview":
        data = data or {}
        return cls(
            staged=data.get("staged", 0),
            replaces_sample=data.get("replaces_sample", 0),
            changed_examples=tuple(data.get("changed_examples", ())),
            status_changes=tuple(StatusChange.from_json(c) for c in data.get("status_changes", ())),
            status_changes_total=data.get("status_changes_total", len(data.get("status_changes", ()))),
            status_change_groups=tuple(
                StatusChangeGroup(**group) for group in data.get("status_change_groups", ())
            ),
            same_as_upload=data.get("same_as_upload"),
            message=data.get("message", ""),
        )

    def with_status_changes(self, changes: list[StatusChange]) -> "UploadPreview":
        return replace(self, **_status_change_fields(changes))

    @property
    def status_changes_not_kept(self) -> int:
        return self.status_changes_total - len(self.status_changes)

    def groups(self) -> list[dict]:
        """For the page: each agreement and area with its first changes and how many more there are."""
        kept: dict[tuple[str, str], list[StatusChange]] = {}
        for change in self.status_changes:
            kept.setdefault((change.agreement, change.area), []).append(change)
        shown = []
        for group in self.status_change_groups:
            changes = kept.get((group.agreement, group.area), [])[:STATUS_CHANGES_SHOWN_PER_GROUP]
            shown.append({"group": group, "changes": changes, "more": group.total - len(changes)})
        return shown


def _status_change_fields(changes: list[StatusChange]) -> dict:
    counts: dict[tuple[str, str], Counter] = {}
    names: dict[tuple[str, str], tuple[str, str]] = {}
    for change in changes:  # already in order: the first change of a group places the group
        key = (change.agreement, change.area)
        counts.setdefault(key, Counter())[change.direction] += 1
        names.setdefault(key, (change.agreement_title, change.area_name))
    groups = tuple(
        StatusChangeGroup(
            agreement=agreement,
            agreement_title=names[agreement, area][0],
            area=area,
            area_name=names[agreement, area][1],
            **{direction: counted[direction] for direction in DIRECTIONS},
        )
        for (agreement, area), counted in counts.items()
    )
    return {
        "status_changes": tuple(changes[:STATUS_CHANGES_KEPT]),
        "status_changes_total": len(changes),
        "status_change_groups": groups,
    }


def upload_preview_build(upload_id: int, *, counts: load.Counts | None = None) -> UploadPreview:
    """The preview of an upload whose rows are staged (runs in the caller's transaction; writes nothing
    that outlives it)."""
    counts = counts or load.counts(upload_id)
    writes = bool(counts.new or counts.changed)
    upload = Upload.objects.get(pk=upload_id)
    return UploadPreview(
        staged=counts.staged,
        replaces_sample=counts.replaces_sample,
        changed_examples=tuple(load.changed_examples(upload_id)) if counts.changed else (),
        same_as_upload=load.same_file_upload_id(upload),
        message=_summary(counts),
        **_status_change_fields(load.status_changes(upload_id) if writes else []),
    )


def _summary(counts: load.Counts) -> str:
    if not counts.new and not counts.changed:
        return ngettext(
            "Ingen ændringer: den %(count)s værdi findes allerede med samme indhold.",
            "Ingen ændringer: alle %(count)s værdier findes allerede med samme indhold.",
            counts.staged,
        ) % {"count": counts.staged}
    text = _("%(new)s nye, %(changed)s ændrede og %(unchanged)s uændrede værdier.") % {
        "new": counts.new,
        "changed": counts.changed,
        "unchanged": counts.unchanged,
    }
    if counts.replaces_sample:
        text += " " + ngettext(
            "%(count)s af dem erstatter eksempeldata.",
            "%(count)s af dem erstatter eksempeldata.",
            counts.replaces_sample,
        ) % {"count": counts.replaces_sample}
    return text
