"""Builders the tests share, so that a user or a stored value is made the same way in every file.

The personas (one user per role: `analyst`, `ssu_member`, `fyn_secretary`, ...) are fixtures in
`tests/conftest.py`, built with `user_create`; use them rather than a user of your own. Data that only one
scenario needs (a `_load` that fills a page) stays in its test file and is built with `observe`.
"""

from django.contrib.auth import get_user_model

from clusters.models import Area, SecretariatAssignment
from indicators.models import ALL, Indicator, Observation
from sundhedsaftale.roles import roles_ensure


def user_create(username, *, role=None, cluster=None, staff=False, password=None):
    """A user with `role` (a group of sundhedsaftale.roles), assigned to the cluster with code `cluster` (a
    cluster secretariat), e-mail `<username>@example.dk` and password `password` (default
    `<username>-kode-1`)."""
    user = get_user_model().objects.create_user(
        username, f"{username}@example.dk", password or f"{username}-kode-1", is_staff=staff
    )
    if role:
        user.groups.add(roles_ensure()[role])
    if cluster:
        SecretariatAssignment.objects.create(user=user, cluster=Area.objects.get(code=cluster))
    return user


def observe(
    code,
    year,
    value,
    ci=None,
    *,
    indicator="dagligrygning",
    ci_low=None,
    ci_high=None,
    sex=ALL,
    age_group=ALL,
    sample=False,
    upload=None,
):
    """Store one value of `indicator` (a code or an Indicator) for the area with code `code`.

    `ci` is the half-width of its 95 % CI, whose bounds are rounded to one decimal as the sources publish
    them; or give `ci_low` and `ci_high` as they are. Without either the value has no CI.
    """
    if ci is not None:
        ci_low, ci_high = round(value - ci, 1), round(value + ci, 1)
    return Observation.objects.create(
        indicator=Indicator.objects.get(code=indicator) if isinstance(indicator, str) else indicator,
        area=Area.objects.get(code=code),
        year=year,
        sex=sex,
        age_group=age_group,
        value=value,
        ci_low=ci_low,
        ci_high=ci_high,
        is_sample=sample,
        upload=upload,
    )
