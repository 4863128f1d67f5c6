"""`manage.py refresh_statuses`: recompute every stored measure status (after a bulk load, or in a cron job)."""

import time

from django.core.management.base import BaseCommand

from goals.services import measure_statuses_refresh


class Command(BaseCommand):
    help = "Genberegn og gem status for alle opfølgninger i alle aftaler, områder og opdelinger."

    def handle(self, *args, **options):
        started = time.perf_counter()
        rows = measure_statuses_refresh()
        seconds = time.perf_counter() - started
        self.stdout.write(f"{rows} statusrækker gemt på {seconds:.2f} s.")
