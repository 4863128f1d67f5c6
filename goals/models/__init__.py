"""Models of the goals app: the agreements and their follow-up (`agreements`), the clusters' activity
reports (`reports`) and the audit trail (`audit`)."""

from .agreements import (
    Agreement,
    AgreementSection,
    FocusArea,
    Measure,
    MeasureStatus,
    NationalGoal,
    Objective,
    Target,
    Vision,
)
from .audit import AuditEvent
from .reports import Activity, ActivityReport, ReportingRound

__all__ = [
    "Activity",
    "ActivityReport",
    "Agreement",
    "AgreementSection",
    "AuditEvent",
    "FocusArea",
    "Measure",
    "MeasureStatus",
    "NationalGoal",
    "Objective",
    "ReportingRound",
    "Target",
    "Vision",
]
