"""`manage.py bootstrap` is the one idempotent preparation step; it never undoes a user's edits."""

from io import StringIO

import pytest
from django.core.management import call_command

from clusters.models import Area
from goals.models import Agreement, Measure, Objective, Target
from indicators.models import Indicator

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Area.objects.count(),
        Indicator.objects.count(),
        Agreement.objects.count(),
        Objective.objects.count(),
        Measure.objects.count(),
        Target.objects.count(),
    )


def test_running_bootstrap_again_changes_nothing():
    before = _counts()
    out = StringIO()
    call_command("bootstrap", stdout=out)
    assert _counts() == before
    assert "Aftaler: 5 (0 indlæst nu)" in out.getvalue()


def test_bootstrap_keeps_a_target_edited_in_the_application():
    target = Target.objects.get(measure__indicator__code="behov-for-behandling")
    target.baseline_year = 2013
    target.save()
    call_command("bootstrap", "--reload-agreements", stdout=StringIO())
    target.refresh_from_db()
    assert target.baseline_year == 2013


def test_reloading_agreements_corrects_texts_but_keeps_measure_ids():
    measure = Measure.objects.filter(objective__vision__agreement__slug="syddanmark-2024-2027").first()
    original = measure.follow_up_text
    measure.follow_up_text = "forkert tekst"
    measure.save()
    call_command("bootstrap", "--reload-agreements", stdout=StringIO())
    measure.refresh_from_db()
    assert measure.follow_up_text == original
