"""The roles of the product as Django groups, created by `manage.py bootstrap`.

A role is a group with permissions; views ask for permissions (one helper per object type, e.g.
indicators.permissions), never for group names, so a role can change here without touching views.
"""

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext as _

ANALYST = "Analytiker"
SSU_MEMBER = "SSU-medlem"
SSU_SECRETARIAT = "SSU-sekretariat"
CLUSTER_SECRETARIAT = "Klyngesekretariat"

AGREEMENT_TEXT_MODELS = [
    "agreement",
    "agreementsection",
    "vision",
    "focusarea",
    "objective",
    "measure",
    "target",
]

# group -> ["app_label.codename", ...]
ROLE_PERMISSIONS = {
    ANALYST: [
        "indicators.add_upload",
        "indicators.view_upload",
        "indicators.change_upload",
        "indicators.view_observation",
        "indicators.change_observation",
    ],
    SSU_MEMBER: [],
    # Reviews reports, edits agreement texts and targets and manages users (in the admin, as staff).
    SSU_SECRETARIAT: [
        "goals.review_activityreport",
        "goals.view_activityreport",
        "goals.add_reportinground",
        "goals.view_reportinground",
        "goals.view_auditevent",
        *[f"goals.{action}_{model}" for model in AGREEMENT_TEXT_MODELS for action in ("view", "change")],
        "indicators.view_upload",
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "auth.view_group",
        "clusters.view_secretariatassignment",
        "clusters.add_secretariatassignment",
        "clusters.change_secretariatassignment",
        "clusters.delete_secretariatassignment",
        # Status reports: drafts, publishing, corrections (reports.permissions).
        "reports.view_statusreport",
        "reports.add_statusreport",
        "reports.change_statusreport",
        "reports.publish_statusreport",
        "reports.view_reportbatch",
    ],
    # Writes its own cluster's reports: which cluster is a clusters.SecretariatAssignment.
    CLUSTER_SECRETARIAT: ["goals.write_own_activityreport"],
}


def roles_ensure() -> dict[str, Group]:
    """Create the groups and give each exactly its permissions (idempotent)."""
    groups = {}
    for name, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = [
            Permission.objects.get(content_type__app_label=code.split(".")[0], codename=code.split(".")[1])
            for code in codes
        ]
        group.permissions.set(permissions)
        groups[name] = group
    return groups


def role_label(user) -> str:
    """A user as public pages name them: role and organisation ("Klyngesekretariat, Sundhedsklynge Fyn"),
    never the person. Reads `groups` and `cluster_assignments`, so prefetch both for a list of users."""
    if user is None:
        return _("Systemet")
    roles = sorted(group.name for group in user.groups.all() if group.name in ROLE_PERMISSIONS)
    if not roles:
        roles = [_("Administrator")] if user.is_staff or user.is_superuser else [_("Bruger")]
    clusters = sorted(assignment.cluster.name for assignment in user.cluster_assignments.all())
    return ", ".join([" og ".join(roles), *clusters])
