"""Benchmark: the year's status report for every area of Sundhedsaftalen 2024-2027 (the region, its 4 clusters and
22 municipalities: 27 reports), published and printed to PDF in one go, as the secretariat's "every area" button
runs it (reports.services.report_batch_run).

    python bench/reports.py [--database-url sqlite:////tmp/bench_reports.sqlite3] [--year 2026] [--repeat 1]

Prepares the database with `manage.py bootstrap --sample-data` (sample values for every area), then times
one batch: building and publishing the 27 contents (first run only; later runs find them published) and
printing the 27 PDFs with one Chromium. Each repeat prints the PDFs again. The issue's target: all 27 PDFs in
under 2 minutes on a 2-core machine.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "sqlite:////tmp/bench_reports.sqlite3"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=1, help="timed batches (default 1)")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("MEDIA_ROOT", "/tmp/bench_reports_media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sundhedsaftale.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from goals.models import Agreement
    from reports import pdf, services
    from reports.models import ReportBatch, StatusReport

    if reason := pdf.engine_missing():
        sys.exit(reason)
    started = time.perf_counter()
    call_command("bootstrap", sample_data=True, verbosity=0)
    print(f"bootstrap --sample-data: {time.perf_counter() - started:.1f} s")
    agreement = Agreement.objects.get(slug="syddanmark-2024-2027")

    for run in range(1, args.repeat + 1):
        batch = ReportBatch.objects.create(agreement=agreement, year=args.year, steps_total=2 * 27)
        started = time.perf_counter()
        publish_done = {}

        # The time when the last report was published (the PDFs follow), read from the progress counter.
        original = services._render_pdfs

        def timed_render(batch, reports, original=original, publish_done=publish_done):
            publish_done["at"] = time.perf_counter()
            return original(batch, reports)

        services._render_pdfs = timed_render
        try:
            services.report_batch_run(batch_id=batch.pk)
        finally:
            services._render_pdfs = original
        total = time.perf_counter() - started
        printing = time.perf_counter() - publish_done["at"]
        reports = StatusReport.objects.filter(
            agreement=agreement, year=args.year, status=StatusReport.Status.PUBLISHED
        )
        sizes = [r.pdf.size for r in reports if r.pdf]
        print(
            f"run {run}: {reports.count()} reports, {len(sizes)} PDFs ({sum(sizes) / 1e6:.1f} MB) in {total:.1f} s "
            f"(publishing {total - printing:.1f} s, printing {printing:.1f} s = {printing / max(len(sizes), 1):.2f} s "
            f"per PDF)"
        )


if __name__ == "__main__":
    main()
