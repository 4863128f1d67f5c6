"""`manage.py goal_status --json`: every measure's stored status in one area and year, with the roll-ups.

Reads the same stored statuses as the pages; a database that has none yet gets them computed first.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from clusters.models import Area
from goals.models import Agreement, MeasureStatus
from goals.progress import in_danish
from goals.selectors import agreement_status
from goals.services import measure_statuses_refresh


class Command(BaseCommand):
    help = (
        "Skriver status for hver opfølgning i en aftale (eller alle aftaler) for et område og et år som JSON, "
        "med optællingerne for målsætninger og visioner."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Skriv JSON (det eneste format).")
        parser.add_argument("--agreement", metavar="SLUG", help="Aftalens korte navn; uden: alle aftaler.")
        parser.add_argument("--year", type=int, help="Vurderingsår; standard er indeværende år.")
        parser.add_argument("--area", metavar="KODE", help="Områdets kode; standard er aftalens område.")

    def handle(self, *args, **options):
        if not options["json"]:
            raise CommandError("Angiv --json: kommandoen skriver kun JSON.")
        slug, code = options["agreement"], options["area"]
        year = options["year"] or timezone.localdate().year
        agreements = Agreement.objects.select_related("area").order_by("slug")
        if slug is not None:
            agreements = agreements.filter(slug=slug)
            if not agreements:
                raise CommandError(f"Ukendt aftale {slug!r}.")
        area = None
        if code is not None:
            area = Area.objects.filter(code=code).first()
            if area is None:
                raise CommandError(f"Ukendt område {code!r}.")
        if not MeasureStatus.objects.exists():
            measure_statuses_refresh()
        results = [_agreement_json(a, area or a.area, year) for a in agreements]
        output = results[0] if slug is not None else results
        self.stdout.write(json.dumps(output, ensure_ascii=False, indent=2))


def _agreement_json(agreement: Agreement, area: Area, year: int) -> dict:
    status = agreement_status(agreement=agreement, area=area, year=year)
    measures = []
    for objective in status.objectives:
        for line in objective.measures:
            measure, row = line.measure, line.status_row
            measures.append(
                {
                    "id": measure.pk,
                    "objective": objective.objective.text,
                    "follow_up": measure.follow_up_text,
                    "indicator": measure.indicator.code if measure.indicator_id else None,
                    "breakdown": {
                        "sex": measure.sex,
                        "age_group": measure.age_group,
                        "education": measure.education,
                    },
                    "status": line.status,
                    "label": in_danish(line.label),
                    "flags": row.flags if row else [],
                    "explanation": row.explanation if row else line.note,
                    "target_value": row.target_value if row else None,
                    "baseline_year": row.baseline_year if row else None,
                    "latest_year": row.latest_year if row else None,
                    "benchmark": row.benchmark if row else "",
                }
            )
    return {
        "agreement": agreement.slug,
        "area": area.code,
        "year": year,
        "measures": measures,
        "objectives": [{"text": o.objective.text, **_rollup_json(o.rollup)} for o in status.objectives],
        "visions": [{"title": v.vision.title, **_rollup_json(v.rollup)} for v in status.visions],
        "rule": in_danish(status.rule),
    }


def _rollup_json(rollup) -> dict:
    label = rollup.label
    return {
        "headline": rollup.headline,
        "label": in_danish(label) if label else label,
        "counts": rollup.counts,
    }
