"""The audit trail: who changed what, when, from what to what.

Two ways in:
- the report services call `audit_record` for every step of the workflow, with the changed fields;
- model signals record every save and delete of an agreement text, a target, an observation edited by
  hand (uploads keep their own history in `indicators.ObservationHistory`), a user's roles (groups,
  staff flags, direct permissions and cluster assignments) and a role's permissions, whoever made it: a page, the admin or a command.

Every event has a `scope` ("agreement:5", "report:12", "user:3", "group:2", "indicator:7") so an object's page can
show its history, including its parts', in one indexed query.
"""

import contextlib
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import formats, timezone, translation

from clusters.models import SecretariatAssignment
from indicators.models import OBSERVATION_FIGURES, Observation
from sundhedsaftale.actor import current_user

from .models import (
    ActivityReport,
    Agreement,
    AgreementSection,
    AuditEvent,
    FocusArea,
    Measure,
    Objective,
    Target,
    Vision,
)
from .progress import in_danish

# Autosave writes a report every few seconds while someone types; one event per burst of typing by the
# same person (the first "before" and the last "after") is what a reader of the history wants.
COALESCE_WINDOW = timedelta(minutes=15)

TEXT_LIMIT = 4000


def scope_of(instance) -> str:
    """The page whose history this object's changes belong to."""
    # Models of apps above goals (reports) name their own scope, so goals need not import them.
    if scope := getattr(instance, "audit_scope", None):
        return scope
    if isinstance(instance, Agreement):
        return f"agreement:{instance.pk}"
    if isinstance(instance, AgreementSection | Vision):
        return f"agreement:{instance.agreement_id}"
    if isinstance(instance, FocusArea | Objective):
        return f"agreement:{instance.vision.agreement_id}"
    if isinstance(instance, Measure):
        return f"agreement:{instance.objective.vision.agreement_id}"
    if isinstance(instance, Target):
        return f"agreement:{instance.measure.objective.vision.agreement_id}"
    if isinstance(instance, ActivityReport):
        return f"report:{instance.pk}"
    if isinstance(instance, Observation):
        return f"indicator:{instance.indicator_id}"
    if isinstance(instance, get_user_model()):
        return f"user:{instance.pk}"
    if isinstance(instance, Group):
        return f"group:{instance.pk}"
    raise TypeError(f"No audit scope for {type(instance).__name__}")


# A label as text in Danish: the trail is written once, in the source language, whatever language the
# editor uses, so one field always has one name.
danish = in_danish


def display(value) -> str:
    """A value as the history shows it: text, cut at a generous length."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float):
        # The history is read by Danish users: decimal comma, as on every page.
        with translation.override("da"):
            return formats.localize(value, use_l10n=True)
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    text = str(value)
    return text if len(text) <= TEXT_LIMIT else text[:TEXT_LIMIT] + " …"


def audit_record(
    *, obj, action: str, changes: dict | None = None, comment: str = "", actor=None, coalesce=False
):
    """Write one event for `obj`. `actor` defaults to the user of the current request (None: the system).
    With `coalesce`, a CHANGED event merges into the same person's previous CHANGED event on the same
    object if that is recent, keeping the oldest "before" and the newest "after"."""
    actor = actor if actor is not None else current_user()
    changes = changes or {}
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    if coalesce and action == AuditEvent.Action.CHANGED:
        previous = (
            AuditEvent.objects.filter(
                content_type=content_type,
                object_id=str(obj.pk),
                at__gte=timezone.now() - COALESCE_WINDOW,
            )
            .order_by("-at", "-id")
            .first()
        )
        if previous and previous.action == action and previous.actor_id == getattr(actor, "pk", None):
            merged = dict(previous.changes)
            for field, (old, new) in changes.items():
                before = merged[field][0] if field in merged else old
                if before == new:
                    merged.pop(field, None)
                else:
                    merged[field] = [before, new]
            previous.changes = merged
            previous.object_repr = str(obj)[:300]
            previous.at = timezone.now()  # "when" is the last change of the burst
            previous.save(update_fields=["changes", "object_repr", "at"])
            return previous
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        content_type=content_type,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        scope=scope_of(obj),
        changes=changes,
        comment=comment,
    )


# Field-by-field history of models edited through forms and the admin.

AUDITED_FIELDS = {
    Agreement: None,  # None: every concrete field
    AgreementSection: None,
    Vision: None,
    FocusArea: None,
    Objective: None,
    Measure: None,
    Target: None,
    Observation: OBSERVATION_FIGURES,
}
USER_FIELDS = ["username", "email", "first_name", "last_name", "is_active", "is_staff", "is_superuser"]


def _fields(model):
    names = AUDITED_FIELDS.get(model, USER_FIELDS)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    if names is not None:
        fields = [f for f in fields if f.name in names]
    return fields


def _shown(instance, field, value) -> str:
    if field.choices:
        return display(dict(field.flatchoices).get(value, value))
    if field.is_relation and value is not None:
        related = field.related_model._base_manager.filter(pk=value).first()
        return display(related if related is not None else value)
    return display(value)


def _remember_old(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        instance._audit_old = None
        return
    names = [f.attname for f in _fields(sender)]
    instance._audit_old = sender._base_manager.filter(pk=instance.pk).values(*names).first()


def _record_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    old = getattr(instance, "_audit_old", None)
    changes = {}
    for field in _fields(sender):
        new = field.value_from_object(instance)
        before = old.get(field.attname) if old else None
        if old is not None and before == new:
            continue
        if old is None and new in (None, "", [], False):
            continue
        changes[str(field.verbose_name)] = [
            _shown(instance, field, before) if old else "",
            _shown(instance, field, new),
        ]
    if created or old is None:
        if sender is Observation:  # values are created by uploads, which record their own history
            return
        audit_record(obj=instance, action=AuditEvent.Action.CREATED, changes=changes)
    elif changes:
        audit_record(obj=instance, action=AuditEvent.Action.CHANGED, changes=changes)


def _record_delete(sender, instance, **kwargs):
    if sender is Observation and current_user() is None:
        # Values deleted by the system (sample data replaced; uploads roll back in SQL with their own
        # history): a row-by-row trail of them would be noise. A person's delete in the admin is recorded.
        return
    # When the parent it would be filed under went first (a cascade from the agreement), the parent's
    # own deletion is the event.
    with contextlib.suppress(ObjectDoesNotExist):
        audit_record(obj=instance, action=AuditEvent.Action.DELETED)


def _roles(user) -> str:
    groups = sorted(user.groups.values_list("name", flat=True))
    clusters = sorted(user.cluster_assignments.values_list("cluster__name", flat=True))
    return display(groups + [f"klynge: {c}" for c in clusters])


M2M_ACTIONS = ("pre_add", "pre_remove", "pre_clear", "post_add", "post_remove", "post_clear")


def _m2m_change(instance, action: str, describe) -> list[str] | None:
    """For a many-to-many change seen from `instance`'s side: before it, remember `describe(instance)`;
    after it, return [before, after] if the description changed (None otherwise)."""
    if action not in M2M_ACTIONS:
        return None
    if action.startswith("pre_"):
        instance._audit_m2m_before = describe(instance)
        return None
    before, after = getattr(instance, "_audit_m2m_before", ""), describe(instance)
    return [before, after] if before != after else None


def _national_goals_changed(sender, instance, action, reverse, **kwargs):
    """The national goals an agreement or objective is linked to are part of its text."""
    if not reverse and (change := _m2m_change(instance, action, _goal_names)):
        audit_record(obj=instance, action=AuditEvent.Action.CHANGED, changes={"Nationale mål": change})


def _goal_names(agreement_or_objective) -> str:
    return display([str(g) for g in agreement_or_objective.national_goals.order_by("number")])


def _permissions(permissions) -> str:
    return display(
        sorted(f"{p.content_type.app_label}.{p.codename}" for p in permissions.select_related("content_type"))
    )


def _own_permissions(user) -> str:
    return _permissions(user.user_permissions)


def _role_permissions(group) -> str:
    return _permissions(group.permissions)


def _user_permissions_changed(sender, instance, action, reverse, **kwargs):
    """Permissions given to one user directly, outside the roles (the admin allows it)."""
    if not reverse and (change := _m2m_change(instance, action, _own_permissions)):
        kind = AuditEvent.Action.ROLE_ADDED if action == "post_add" else AuditEvent.Action.ROLE_REMOVED
        audit_record(obj=instance, action=kind, changes={"Egne rettigheder": change})


def _group_permissions_changed(sender, instance, action, reverse, **kwargs):
    """What a role may do: a change reaches every user in the group, so it is recorded on the group."""
    if not reverse and (change := _m2m_change(instance, action, _role_permissions)):
        audit_record(obj=instance, action=AuditEvent.Action.CHANGED, changes={"Rettigheder": change})


def _groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in M2M_ACTIONS:
        return
    User = get_user_model()
    users = [instance] if not reverse else list(User.objects.filter(pk__in=pk_set or []))
    if reverse and action.endswith("clear"):
        users = list(instance.user_set.all())
    for user in users:
        if action.startswith("pre_"):
            user._audit_roles = _roles(user)
            continue
        before, after = getattr(user, "_audit_roles", ""), _roles(user)
        if before != after:
            kind = AuditEvent.Action.ROLE_ADDED if action == "post_add" else AuditEvent.Action.ROLE_REMOVED
            audit_record(obj=user, action=kind, changes={"Roller": [before, after]})


def _assignment_before(sender, instance, raw=False, **kwargs):
    instance._audit_old = None
    if not raw and instance.pk is not None:
        instance._audit_old = (
            sender._base_manager.filter(pk=instance.pk).select_related("cluster", "user").first()
        )


def _assignment_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    old = getattr(instance, "_audit_old", None)
    if old is not None and old.user_id != instance.user_id:
        # Moved to another user: the old user lost the cluster.
        audit_record(
            obj=old.user,
            action=AuditEvent.Action.ROLE_REMOVED,
            changes={"Klyngesekretariat": [str(old.cluster), ""]},
        )
        old = None
    before = str(old.cluster) if old is not None else ""
    if before != str(instance.cluster):
        audit_record(
            obj=instance.user,
            action=AuditEvent.Action.ROLE_ADDED,
            changes={"Klyngesekretariat": [before, str(instance.cluster)]},
        )


def _assignment_deleted(sender, instance, **kwargs):
    User = get_user_model()
    user = User.objects.filter(pk=instance.user_id).first()
    if user is None:  # the user is being deleted; that deletion is the event
        return
    audit_record(
        obj=user,
        action=AuditEvent.Action.ROLE_REMOVED,
        changes={"Klyngesekretariat": [str(instance.cluster), ""]},
    )


def connect() -> None:
    """Called from GoalsConfig.ready()."""
    User = get_user_model()
    for model in [*AUDITED_FIELDS, User]:
        uid = f"audit_{model._meta.label_lower}"
        pre_save.connect(_remember_old, sender=model, dispatch_uid=f"{uid}_pre")
        post_save.connect(_record_save, sender=model, dispatch_uid=f"{uid}_post")
        post_delete.connect(_record_delete, sender=model, dispatch_uid=f"{uid}_delete")
    m2m_changed.connect(_groups_changed, sender=User.groups.through, dispatch_uid="audit_user_groups")
    for model in (Agreement, Objective):
        m2m_changed.connect(
            _national_goals_changed,
            sender=model.national_goals.through,
            dispatch_uid=f"audit_{model._meta.model_name}_national_goals",
        )
    m2m_changed.connect(
        _user_permissions_changed, sender=User.user_permissions.through, dispatch_uid="audit_user_permissions"
    )
    m2m_changed.connect(
        _group_permissions_changed, sender=Group.permissions.through, dispatch_uid="audit_group_permissions"
    )
    pre_save.connect(_assignment_before, sender=SecretariatAssignment, dispatch_uid="audit_assignment_before")
    post_save.connect(_assignment_saved, sender=SecretariatAssignment, dispatch_uid="audit_assignment_saved")
    post_delete.connect(
        _assignment_deleted, sender=SecretariatAssignment, dispatch_uid="audit_assignment_deleted"
    )
