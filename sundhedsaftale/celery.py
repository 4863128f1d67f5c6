"""Celery application. Without REDIS_URL, settings make every task run in-process (eagerly)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sundhedsaftale.settings")

app = Celery("sundhedsaftale")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
