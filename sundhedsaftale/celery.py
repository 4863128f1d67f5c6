"""Celery application. Without REDIS_URL, settings make every task run in-process (eagerly)."""

import os

from celery import Celery
from celery.signals import beat_init, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sundhedsaftale.settings")

app = Celery("sundhedsaftale")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
@beat_init.connect
def _refuse_insecure_production(**kwargs):
    """Like the web app (wsgi.py): without DEBUG, no worker or beat without a secret key and mail server."""
    from sundhedsaftale.production import production_check

    production_check()
