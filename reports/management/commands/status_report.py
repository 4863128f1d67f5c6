"""Status reports from the command line: create a draft, publish it, export its stored content, print its PDF.

manage.py status_report create --agreement syddanmark-2024-2027 --year 2026 [--area fyn] [--kind annual] --json
manage.py status_report publish ID
manage.py status_report export ID --json
manage.py status_report pdf ID --output rapport.pdf
"""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from clusters.models import Area
from goals.models import Agreement

from ... import pdf, rendering, selectors, services
from ...models import StatusReport, canonical_json


class Command(BaseCommand):
    help = "Opret, offentliggør, eksportér og udskriv statusrapporter."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Opret en kladde fra dagens data.")
        create.add_argument("--agreement", required=True, help="Aftalens korte navn (slug).")
        create.add_argument("--year", type=int, required=True, help="Vurderingsåret.")
        create.add_argument("--area", help="Områdekode (standard: aftalens region).")
        create.add_argument("--kind", default=StatusReport.Kind.ANNUAL, choices=StatusReport.Kind.values)
        create.add_argument("--json", action="store_true", help="Skriv resultatet som JSON.")
        publish = sub.add_parser("publish", help="Offentliggør en kladde.")
        publish.add_argument("id", type=int)
        publish.add_argument("--json", action="store_true")
        export = sub.add_parser("export", help="Skriv rapportens gemte indhold som ét JSON-dokument.")
        export.add_argument("id", type=int)
        export.add_argument("--json", action="store_true", help="(standard) JSON.")
        printed = sub.add_parser("pdf", help="Udskriv rapporten som PDF.")
        printed.add_argument("id", type=int)
        printed.add_argument("--output", required=True, help="PDF-filen, der skrives.")

    def handle(self, *args, action, **options):
        try:
            return getattr(self, f"_{action}")(**options)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error

    def _report(self, pk) -> StatusReport:
        try:
            return selectors.report_get(pk)
        except StatusReport.DoesNotExist as missing:
            raise CommandError(f"Der er ingen statusrapport med id {pk}.") from missing

    def _summary(self, report: StatusReport) -> dict:
        return {
            "id": report.pk,
            "agreement": report.agreement.slug,
            "year": report.year,
            "area": report.area.code,
            "kind": report.kind,
            "status": report.status,
            "published_at": report.published_at.isoformat() if report.published_at else None,
            "content_sha256": report.content_sha256 or None,
        }

    def _write(self, report, as_json, text):
        if as_json:
            self.stdout.write(json.dumps(self._summary(report), ensure_ascii=False))
        else:
            self.stdout.write(text)

    def _create(self, *, agreement, year, area, kind, json, **options):
        found = Agreement.objects.select_related("area").filter(slug=agreement).first()
        if found is None:
            raise CommandError(f"Der er ingen aftale med det korte navn {agreement!r}.")
        chosen = None
        if area:
            chosen = Area.objects.filter(code=area).first()
            if chosen is None:
                raise CommandError(f"Der er intet område med koden {area!r}.")
        report = services.status_report_create(agreement=found, year=year, area=chosen, kind=kind)
        report = selectors.report_get(report.pk)
        self._write(report, json, f"Kladde {report.pk} oprettet: {report}")

    def _publish(self, *, id, json, **options):
        report = self._report(id)
        services.status_report_publish(report_id=report.pk)
        report = selectors.report_get(report.pk)
        self._write(report, json, f"Rapport {report.pk} offentliggjort (SHA-256 {report.content_sha256}).")

    def _export(self, *, id, **options):
        report = self._report(id)
        # The stored text itself, so the bytes are the same for as long as the report is published.
        text = report.content if report.is_frozen else canonical_json(selectors.report_live_content(report))
        self.stdout.write(text)

    def _pdf(self, *, id, output, **options):
        report = self._report(id)
        content = report.content_data if report.is_frozen else selectors.report_live_content(report)
        html = rendering.report_document_html(report, content)
        try:
            data = pdf.html_to_pdf(html)
        except pdf.PdfEngineMissing as missing:
            raise CommandError(str(missing)) from missing
        Path(output).write_bytes(data)
        self.stdout.write(f"PDF skrevet: {output} ({len(data)} bytes).")
