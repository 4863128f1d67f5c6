"""The roles of the product as Django groups, created by `manage.py bootstrap`.

A role is a group with permissions; views ask for permissions (one helper per object type, e.g.
indicators.permissions), never for group names, so a role can change here without touching views.
"""

from django.contrib.auth.models import Group, Permission

ANALYST = "Analytiker"
SSU_MEMBER = "SSU-medlem"
SSU_SECRETARIAT = "SSU-sekretariat"
CLUSTER_SECRETARIAT = "Klyngesekretariat"

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
    SSU_SECRETARIAT: [
        "goals.view_agreement",
        "goals.change_agreement",
        "goals.view_target",
        "goals.change_target",
        "indicators.view_upload",
    ],
    CLUSTER_SECRETARIAT: [],
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
