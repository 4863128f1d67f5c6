"""The audit trail: who changed what, when, from what to what, for targets, agreement texts, users' roles
and observations edited by hand, shown to those who may see the object (issue #6, item 4)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from clusters.models import Area, SecretariatAssignment
from goals.models import AuditEvent, Objective, Target
from indicators.models import Indicator, Observation
from sundhedsaftale.roles import ANALYST, CLUSTER_SECRETARIAT
from tests.factories import user_create

pytestmark = pytest.mark.django_db

SLUG = "syddanmark-2019-2023"


def _target():
    return Target.objects.filter(measure__objective__vision__agreement__slug=SLUG, kind="absolute").first()


def test_a_target_edited_in_the_admin_is_recorded_with_who_and_from_what_to_what(client, ssu_secretary):
    target = _target()
    old = target.value
    client.force_login(ssu_secretary)
    url = reverse("admin:goals_target_change", args=[target.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data["value"] = "12,5"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    event = AuditEvent.objects.get(scope__startswith="agreement:", action="changed", object_id=str(target.pk))
    assert event.actor == ssu_secretary
    assert event.changes["værdi"] == [f"{old:.1f}".replace(".", ","), "12,5"]

    history = client.get(reverse("goals:agreement_history", args=[SLUG])).content.decode()
    # A public page: the role, not the person (docs/security.md, privacy).
    trail = history[history.index('class="data history-table"') :]
    assert "SSU-sekretariat" in trail and "signe" not in trail and "12,5" in trail


def test_an_objective_text_changed_by_a_reload_is_recorded_as_the_systems(client):
    objective = Objective.objects.filter(vision__agreement__slug=SLUG).first()
    objective.text = "Ny formulering af målsætningen"
    objective.save()
    event = AuditEvent.objects.get(
        object_id=str(objective.pk), action="changed", scope__startswith="agreement:"
    )
    assert event.actor is None
    page = client.get(reverse("goals:agreement_history", args=[SLUG])).content.decode()
    assert "Systemet" in page and "Ny formulering af målsætningen" in page


def test_giving_and_taking_roles_is_recorded_on_the_user(ssu_secretary):
    user = user_create("ny")
    user.groups.add(Group.objects.get(name=ANALYST))
    SecretariatAssignment.objects.create(user=user, cluster=Area.objects.get(code="fyn"))
    user.groups.clear()
    events = list(AuditEvent.objects.filter(scope=f"user:{user.pk}").order_by("at", "id"))
    assert [e.action for e in events] == ["created", "role_added", "role_added", "role_removed"]
    assert events[1].changes["Roller"] == ["", ANALYST]
    assert events[2].changes["Klyngesekretariat"] == ["", "Sundhedsklynge Fyn"]
    assert events[3].changes["Roller"] == [
        f"{ANALYST}, klynge: Sundhedsklynge Fyn",
        "klynge: Sundhedsklynge Fyn",
    ]


def test_the_role_history_is_shown_on_the_users_admin_page(client, ssu_secretary):
    user = user_create("ny")
    user.groups.add(Group.objects.get(name=ANALYST))
    client.force_login(ssu_secretary)
    page = client.get(reverse("admin:auth_user_change", args=[user.pk])).content.decode()
    assert "Rolle tildelt" in page and ANALYST in page


def test_an_observation_corrected_by_hand_is_recorded_under_its_indicator(ssu_secretary):
    observation = Observation.objects.create(
        indicator=Indicator.objects.get(code="dagligrygning"),
        area=Area.objects.get(code="1083"),
        year=2021,
        value=15.0,
    )
    assert not AuditEvent.objects.filter(
        scope__startswith="indicator:"
    ).exists()  # uploads keep their own history
    observation.value = 15.4
    observation.save()
    event = AuditEvent.objects.get(scope=f"indicator:{observation.indicator_id}")
    assert event.changes == {"værdi": ["15,0", "15,4"]}


def test_the_agreement_history_takes_the_same_queries_however_long_it_is(
    client, django_assert_max_num_queries
):
    objectives = list(Objective.objects.filter(vision__agreement__slug=SLUG))
    for objective in objectives[:2]:
        objective.text += " (rettet)"
        objective.save()
    with django_assert_max_num_queries(3) as few:
        client.get(reverse("goals:agreement_history", args=[SLUG]))
    for objective in objectives[2:]:
        objective.text += " (rettet)"
        objective.save()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("goals:agreement_history", args=[SLUG]))


def test_hand_corrections_show_on_the_indicator_page_only_to_those_who_see_uploads(
    client, analyst, ssu_member
):
    observation = Observation.objects.create(
        indicator=Indicator.objects.get(code="dagligrygning"),
        area=Area.objects.get(code="1083"),
        year=2021,
        value=15.0,
    )
    observation.value = 15.4
    observation.save()
    url = reverse("goals:indicator_detail", args=["dagligrygning"])
    client.force_login(analyst)
    page = client.get(url).content.decode()
    assert "Værdier rettet uden for en upload" in page and "15,4" in page
    client.force_login(ssu_member)
    assert "Værdier rettet uden for en upload" not in client.get(url).content.decode()


def test_moving_a_secretariat_assignment_to_another_cluster_is_recorded():
    user = user_create("ny")
    assignment = SecretariatAssignment.objects.create(user=user, cluster=Area.objects.get(code="fyn"))
    assignment.cluster = Area.objects.get(code="lillebaelt")
    assignment.save()
    event = AuditEvent.objects.filter(scope=f"user:{user.pk}").order_by("-at", "-id").first()
    assert event.changes["Klyngesekretariat"] == ["Sundhedsklynge Fyn", "Sundhedsklynge Lillebælt"]


def test_permissions_given_directly_to_a_user_are_recorded():
    from django.contrib.auth.models import Permission

    user = user_create("ny")
    user.user_permissions.add(Permission.objects.get(codename="review_activityreport"))
    event = AuditEvent.objects.filter(scope=f"user:{user.pk}", action="role_added").get()
    assert event.changes["Egne rettigheder"] == ["", "goals.review_activityreport"]


def test_the_ssu_secretariat_cannot_make_anyone_an_administrator(client, ssu_secretary):
    client.force_login(ssu_secretary)
    url = reverse("admin:auth_user_change", args=[ssu_secretary.pk])
    form = client.get(url).context["adminform"].form
    assert "is_superuser" not in form.fields and "user_permissions" not in form.fields
    admin = get_user_model().objects.create_superuser("root", "root@example.dk", "x")
    assert (
        client.get(reverse("admin:auth_user_change", args=[admin.pk])).context["has_change_permission"]
        is False
    )


def test_values_deleted_by_the_system_leave_no_row_by_row_trail():
    indicator = Indicator.objects.get(code="dagligrygning")
    for year in (2013, 2017, 2021):
        Observation.objects.create(
            indicator=indicator, area=Area.objects.get(code="1083"), year=year, value=15.0
        )
    Observation.objects.filter(indicator=indicator).delete()  # as sample data is replaced
    assert not AuditEvent.objects.filter(scope=f"indicator:{indicator.pk}").exists()


def test_linking_an_objective_to_another_national_goal_is_recorded():
    from goals.models import NationalGoal

    objective = Objective.objects.filter(vision__agreement__slug=SLUG).first()
    before = [str(g) for g in objective.national_goals.order_by("number")]
    goal = NationalGoal.objects.exclude(pk__in=objective.national_goals.all()).order_by("number").first()
    objective.national_goals.add(goal)
    event = AuditEvent.objects.get(object_id=str(objective.pk), changes__has_key="Nationale mål")
    old, new = event.changes["Nationale mål"]
    assert old == ", ".join(before) and str(goal) in new


def test_a_roles_permissions_edited_in_the_admin_are_recorded_and_shown_on_the_role(client, ssu_secretary):
    from django.contrib.auth.models import Permission

    role = Group.objects.get(name=CLUSTER_SECRETARIAT)
    before = set(role.permissions.values_list("pk", flat=True))
    review = Permission.objects.get(codename="review_activityreport")
    admin = get_user_model().objects.create_superuser(
        "admin", "admin@example.org", "x", first_name="Ada", last_name="Administrator"
    )
    client.force_login(admin)
    response = client.post(
        reverse("admin:auth_group_change", args=[role.pk]),
        {"name": role.name, "permissions": [*before, review.pk]},
    )
    assert response.status_code == 302
    # One event by the administrator (bootstrap's own setting of the role is on record before it).
    event = AuditEvent.objects.filter(scope=f"group:{role.pk}").latest("at", "id")
    assert event.actor == admin
    old, new = event.changes["Rettigheder"]
    assert "goals.review_activityreport" not in old and "goals.review_activityreport" in new

    # The SSU secretariat, who assigns the roles, sees what each role may do and who changed it.
    client.force_login(ssu_secretary)
    page = client.get(reverse("admin:auth_group_change", args=[role.pk])).content.decode()
    assert page.count("Ændringer af rollens rettigheder") == 1 and "goals.review_activityreport" in page
    # A new role has no history yet: the add page works without one.
    client.force_login(admin)
    assert client.get(reverse("admin:auth_group_add")).status_code == 200
    assert "Ada Administrator" in page


def test_every_field_a_history_can_name_has_a_danish_name():
    """The public history page names changed fields by their verbose names: none may be the English
    attribute name Django falls back on ("objective", "focus area")."""
    from goals.audit import AUDITED_FIELDS, _fields

    for model in AUDITED_FIELDS:
        for field in _fields(model):
            default = field.name.replace("_", " ")
            # "status", "link" and "vision" are Danish words as well.
            assert str(field.verbose_name) != default or default in ("status", "link", "vision"), (
                model,
                field.name,
            )
