"""`manage.py measure_status --json`: the status method on one measure's data, read as JSON from stdin.

Lets analysts and other systems check a status without the database, with exactly the rules the pages use.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from goals.progress import evaluate_from_json


class Command(BaseCommand):
    help = (
        "Læser ét JSON-objekt med en målings data fra standard input og skriver dens status som JSON. "
        'Ugyldigt input giver {"error": ...} og afslutningskode 1.'
    )
    # A pure calculation: the system checks would only slow it down and fail it for unrelated problems.
    requires_system_checks = []
    # Lets tests pass stdin=io.StringIO(...) through call_command.
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Læs input som JSON (det eneste format).")

    def handle(self, *args, **options):
        if not options["json"]:
            raise CommandError("Angiv --json: kommandoen læser ét JSON-objekt fra standard input.")
        stdin = options.get("stdin") or sys.stdin
        try:
            result = evaluate_from_json(_parse(stdin.read()))
        except ValueError as error:
            self.stdout.write(json.dumps({"error": str(error)}, ensure_ascii=False))
            raise CommandError(str(error)) from error
        self.stdout.write(json.dumps(result, ensure_ascii=False))


def _parse(text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(
            f"Input er ikke gyldig JSON: {error.msg} (linje {error.lineno}, kolonne {error.colno})."
        ) from error
