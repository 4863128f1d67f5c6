"""Prepare a database in one idempotent step: migrate, load reference data, optionally sample data."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from clusters.services import geography_load
from goals.services import agreements_load_all, national_goals_load
from indicators.models import Observation
from indicators.services import catalogue_load


class Command(BaseCommand):
    help = "Migrér databasen og indlæs geografi, indikatorkatalog og aftaler (og evt. eksempeldata)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--sample-data", action="store_true", help="Generér eksempeldata, hvis der ingen er."
        )
        parser.add_argument(
            "--reload-agreements",
            action="store_true",
            help="Opdatér aftaletekster fra fixtures, også for aftaler der allerede findes (mål bevares).",
        )
        parser.add_argument("--seed", type=int, default=2024, help="Frø for eksempeldata (standard 2024).")

    def handle(self, *args, sample_data=False, reload_agreements=False, seed=2024, **options):
        verbosity = options["verbosity"]
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
        geography = geography_load()
        catalogue = catalogue_load()
        national_goals_load()
        agreements = agreements_load_all(replace=reload_agreements)
        written = sum(1 for _, changed in agreements if changed)
        self.stdout.write(
            f"Geografi: {geography['regions']} regioner, {geography['municipalities']} kommuner, "
            f"{geography['clusters']} sundhedsklynger. Indikatorer: {catalogue['indicators']}. "
            f"Aftaler: {len(agreements)} ({written} indlæst nu)."
        )
        if sample_data:
            if Observation.objects.filter(is_sample=True).exists():
                self.stdout.write("Eksempeldata findes allerede; intet genereret.")
            else:
                call_command("generate_sample_data", seed=seed, verbosity=verbosity)
