"""Import an indicator file from the command line, through the same services as the upload page."""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from indicators.ingest.problems import problem_groups, problem_total
from indicators.models import Upload
from indicators.preview import UploadPreview
from indicators.services.uploads import (
    upload_confirm,
    upload_create,
    upload_fail,
    upload_load,
    upload_validate,
)


class _DryRun(Exception):
    """Raised to roll back everything a dry run wrote."""


class Command(BaseCommand):
    help = (
        "Kontrollér og indlæs en fil med indikatorværdier (CSV eller XLSX, se docs/data-format.md). "
        "Afslutningskode 0 når filen er indlæst eller intet ændrer, 1 når den er afvist."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Filen, der skal indlæses.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=(
                "Kontrollér filen og vis, hvad den ville ændre, uden at gemme noget. Status er da den, "
                "indlæsningen ville få: loaded, unchanged eller rejected."
            ),
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help=(
                'Skriv ét JSON-objekt: {"status", "rows", "new", "changed", "unchanged", "problems", "warnings", '
                '"problem_count", "problem_groups", "warning_groups"}; problemerne er samlet efter slags '
                '("kind"), med de første linjer af hver slags og "more" for hvor mange flere. Dertil hele '
                'forhåndsvisningen: "message", "replaces_sample", "changed_examples", "status_changes", '
                '"status_changes_total", "status_change_groups", "same_as_upload".'
            ),
        )
        parser.add_argument("--user", help="Brugernavn, som uploaden registreres på.")

    def handle(self, *args, file, dry_run=False, json=False, user=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Filen findes ikke: {path}")
        uploader = self._user(user)
        try:
            if dry_run:
                result = self._dry_run(path, uploader)
            else:
                upload = self._import(path, uploader)
                result = _result(upload)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error

        if json:
            self.stdout.write(_json_dumps(result))
        else:
            self._report(result, dry_run=dry_run)
        if result["status"] == "rejected":
            raise CommandError(
                f"Filen er afvist ({result['problem_count']} problemer); intet er gemt.", returncode=1
            )

    def _import(self, path: Path, user) -> Upload:
        with path.open("rb") as handle:
            upload = upload_create(file=File(handle, name=path.name), user=user, enqueue=False)
        try:
            upload_validate(upload_id=upload.pk)
            if Upload.objects.filter(pk=upload.pk, status=Upload.Status.AWAITING_CONFIRMATION).exists():
                upload_confirm(upload_id=upload.pk, user=user, enqueue=False)
                upload_load(upload_id=upload.pk)
        except Exception as error:
            # As the Celery task does: an unexpected error marks the upload failed (and wrote nothing).
            upload_fail(upload_id=upload.pk, error=f"{type(error).__name__}: {error}")
            raise CommandError(f"Indlæsningen fejlede, intet er gemt: {error}") from error
        return Upload.objects.get(pk=upload.pk)

    def _dry_run(self, path: Path, user) -> dict:
        """Everything in one transaction that is rolled back, and the stored copy of the file removed: the
        database and the media folder are left exactly as they were."""
        stored = None
        try:
            with transaction.atomic():
                with path.open("rb") as handle:
                    upload = upload_create(file=File(handle, name=path.name), user=user, enqueue=False)
                stored = upload.file.name
                upload = upload_validate(upload_id=upload.pk) or Upload.objects.get(pk=upload.pk)
                result = _result(upload, dry_run=True)
                raise _DryRun
        except _DryRun:
            pass
        finally:
            if stored:
                Upload._meta.get_field("file").storage.delete(stored)
        return result

    def _user(self, username):
        if not username:
            return None
        User = get_user_model()
        try:
            return User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"Der findes ingen bruger med brugernavnet {username!r}.") from None

    def _report(self, result: dict, *, dry_run: bool) -> None:
        status = result["status"]
        if status == "rejected":
            self.stderr.write(f"Filen er afvist. {result['problem_count']} problemer; intet er gemt:")
            for group in result["problem_groups"]:
                self.stderr.write(f"{group['title']} ({group['count']}):")
                for problem in group["problems"]:
                    self._problem_line(problem)
                if group["more"]:
                    self.stderr.write(f"  {group['more_message']}")
            return
        verb = {"loaded": "ville indlæse" if dry_run else "Indlæst", "unchanged": "Ingen ændringer"}[status]
        self.stdout.write(
            f"{verb}: {result['rows']} rækker; {result['new']} nye, {result['changed']} ændrede, "
            f"{result['unchanged']} uændrede værdier." + (" (Prøvekørsel: intet er gemt.)" if dry_run else "")
        )
        if result["message"]:
            self.stdout.write(f"  {result['message']}")
        for warning in result["warnings"]:
            line = f"linje {warning['line']}: " if warning.get("line") is not None else ""
            self.stdout.write(f"  Advarsel: {line}{warning['message']}")
        for example in result["changed_examples"]:
            self.stdout.write(
                f"  Ændret, linje {example['line']}: {example['indicator_code']} {example['area_code']} "
                f"{example['period']} {example['breakdown']}: {example['old']} → {example['new']}"
            )
        self._report_status_changes(result)

    def _report_status_changes(self, result: dict) -> None:
        total = result["status_changes_total"]
        if not total:
            self.stdout.write("  Ingen målinger skifter status.")
            return
        self.stdout.write(f"  {total} statusser skifter:")
        preview = UploadPreview.from_json(result)
        for shown in preview.groups():
            group = shown["group"]
            self.stdout.write(
                f"    {group.agreement_title}, {group.area_name}: {group.worse} dårligere, "
                f"{group.better} bedre, {group.other} andre"
            )
            for change in shown["changes"]:
                self.stdout.write(
                    f"      {change.measure} ({change.breakdown}, {change.year}): "
                    f"{change.old_label or '–'} → {change.new_label or '–'}; "
                    f"{change.old_comparison_label or '–'} → {change.new_comparison_label or '–'}"
                )
            if shown["more"]:
                self.stdout.write(f"      og {shown['more']} flere")

    def _problem_line(self, problem: dict) -> None:
        where = ", ".join(
            part
            for part in (
                f"linje {problem['line']}" if problem["line"] is not None else "",
                f"kolonne {problem['column']}" if problem["column"] else "",
                f"værdi {problem['value']!r}" if problem["value"] not in (None, "") else "",
            )
            if part
        )
        self.stderr.write(f"  {where + ': ' if where else ''}{problem['message']}")


def _result(upload: Upload, *, dry_run: bool = False) -> dict:
    """The command's JSON answer for an upload after validation (dry run) or load."""
    if upload.status == Upload.Status.REJECTED:
        status = "rejected"
    elif upload.new or upload.changed:
        status = "loaded"
    else:
        status = "unchanged"
    preview = UploadPreview.from_json(upload.preview).to_json()
    return {
        "status": status,
        "rows": upload.rows,
        "new": upload.new,
        "changed": upload.changed,
        "unchanged": upload.unchanged,
        "problems": [_problem(p) for p in upload.problems],
        "warnings": [_problem(w) for w in upload.warnings],
        # Every problem counted (the lists show the first lines of each kind), and the same grouped by kind.
        "problem_count": problem_total(upload.problems),
        "problem_groups": _groups(upload.problems),
        "warning_groups": _groups(upload.warnings),
        # The whole preview (indicators/preview.py): after a real load, what the load changed.
        **{key: value for key, value in preview.items() if key != "staged"},
    }


def _problem(problem: dict) -> dict:
    return {key: problem.get(key) for key in ("line", "column", "value", "message", "kind", "more")}


def _groups(items: list[dict]) -> list[dict]:
    return [
        {
            "kind": group["kind"],
            "title": str(group["title"]),
            "count": group["count"],
            "problems": [_problem(p) for p in group["problems"]],
            "more": group["more"],
            "more_message": group.get("more_message", ""),
        }
        for group in problem_groups(items)
    ]


def _json_dumps(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False)
