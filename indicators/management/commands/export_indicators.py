"""Write stored indicator values as a file the importer reads back unchanged (the canonical long layout)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clusters.models import Area
from indicators import fileformat
from indicators.models import Indicator, Observation

CHUNK = 10_000


class Command(BaseCommand):
    help = (
        "Skriv gemte indikatorværdier i det kanoniske lange format (UTF-8 med BOM, semikolon, decimalkomma; "
        "ikke offentliggjorte værdier som tomme felter). Filen kan indlæses igen uden at ændre noget."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--indicator", action="append", metavar="KODE", help="Kun denne indikator (kode)."
        )
        parser.add_argument("--area", action="append", metavar="KODE", help="Kun dette område (kode).")
        parser.add_argument("--real-only", action="store_true", help="Udelad eksempeldata.")
        parser.add_argument("--output", "-o", metavar="FIL", help="Skriv til denne fil (standard: stdout).")

    def handle(self, *args, indicator=None, area=None, real_only=False, output=None, **options):
        observations = Observation.objects.all()
        if indicator:
            _check_known(Indicator, "indikator", indicator)
            observations = observations.filter(indicator__code__in=indicator)
        if area:
            _check_known(Area, "område", area)
            observations = observations.filter(area__code__in=area)
        if real_only:
            observations = observations.filter(is_sample=False)
        rows = (
            observations.order_by("indicator__code", "area__code", "year", "sex", "age_group", "education")
            .values_list(*fileformat.OBSERVATION_FIELDS)
            .iterator(chunk_size=CHUNK)
        )
        if output:
            with Path(output).open("w", encoding="utf-8-sig", newline="") as handle:
                count = fileformat.write(handle, rows)
            self.stderr.write(f"{count} værdier skrevet til {output}.")
        else:
            stream = _Unterminated(self.stdout)
            stream.write(fileformat.BOM)
            fileformat.write(stream, rows)


class _Unterminated:
    """The command's stdout without the line ending Django adds to every write (csv writes its own)."""

    def __init__(self, out):
        self.out = out

    def write(self, text: str) -> None:
        self.out.write(text, ending="")


def _check_known(model, what: str, codes: list[str]) -> None:
    unknown = set(codes) - set(model.objects.filter(code__in=codes).values_list("code", flat=True))
    if unknown:
        raise CommandError(f"Ukendt {what}: {', '.join(sorted(unknown))}")
