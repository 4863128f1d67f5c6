"""Generate sample data ("eksempeldata") for demonstration: every indicator, area and survey round."""

from django.core.management.base import BaseCommand, CommandError

from indicators.services import SampleDataExistsError, sample_data_generate


class Command(BaseCommand):
    help = (
        "Generér eksempeldata (markeret som eksempeldata, aldrig officielle tal) for alle indikatorer, "
        "områder og runder af Sundhedsprofilen. Samme frø giver de samme værdier."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, required=True, help="Frø for tilfældighedsgeneratoren, fx 2024."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Slet eksisterende eksempeldata først. Rigtige (indlæste) værdier røres aldrig.",
        )

    def handle(self, *args, seed, replace=False, **options):
        try:
            written = sample_data_generate(seed=seed, replace=replace)
        except SampleDataExistsError as error:
            raise CommandError(
                f"Der findes allerede {error.count} eksempelværdier; intet er ændret. "
                "Brug --replace for at erstatte dem."
            ) from error
        self.stdout.write(f"{written} eksempelværdier genereret (frø {seed}).")
