"""Prepare a database in one idempotent step: migrate, load reference data, optionally sample data."""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from clusters.models import Area, SecretariatAssignment
from clusters.services import geography_load
from goals.services import agreements_load_all, national_goals_load
from indicators.models import Observation
from indicators.services import catalogue_load
from sundhedsaftale.roles import ANALYST, CLUSTER_SECRETARIAT, SSU_MEMBER, SSU_SECRETARIAT, roles_ensure

# Demo accounts for `make run` only (created with --sample-data, never in production):
# user -> (role, cluster code the user writes reports for, staff: may use the admin to manage users).
DEMO_USERS = {
    "analytiker": (ANALYST, None, False),
    "sekretariat": (SSU_SECRETARIAT, None, True),
    "klynge-fyn": (CLUSTER_SECRETARIAT, "fyn", False),
    "klynge-lillebaelt": (CLUSTER_SECRETARIAT, "lillebaelt", False),
    "ssu-medlem": (SSU_MEMBER, None, False),
}
DEMO_PASSWORD = "demo-sundhed-2024"


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
        groups = roles_ensure()
        agreements = agreements_load_all(replace=reload_agreements)
        written = sum(1 for _, changed in agreements if changed)
        self.stdout.write(
            f"Geografi: {geography['regions']} regioner, {geography['municipalities']} kommuner, "
            f"{geography['clusters']} sundhedsklynger. Indikatorer: {catalogue['indicators']}. "
            f"Aftaler: {len(agreements)} ({written} indlæst nu)."
        )
        if sample_data:
            self._demo_users(groups)
            if Observation.objects.filter(is_sample=True).exists():
                self.stdout.write("Eksempeldata findes allerede; intet genereret.")
            else:
                call_command("generate_sample_data", seed=seed, verbosity=verbosity)

    def _demo_users(self, groups):
        User = get_user_model()
        for username, (role, cluster, staff) in DEMO_USERS.items():
            user, created = User.objects.get_or_create(username=username, defaults={"is_staff": staff})
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            user.groups.add(groups[role])
            if cluster:
                SecretariatAssignment.objects.get_or_create(user=user, cluster=Area.objects.get(code=cluster))
        self.stdout.write(
            f"Demo-brugere (kun eksempeldata): {', '.join(DEMO_USERS)} med adgangskoden {DEMO_PASSWORD}."
        )
