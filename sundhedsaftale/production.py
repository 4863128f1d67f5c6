"""What production must have before it serves a request or runs a task: checked when the web app
(wsgi.py) and the Celery worker start, and by `manage.py check --deploy`.

Settings themselves do not refuse to load without these, so commands that need neither a key nor a mail
server (migrate, makemigrations, collectstatic) still run in a build or CI without secrets."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


def production_problems() -> dict[str, str]:
    """{check id: what is missing}; empty with DEBUG on or when production has what it needs."""
    if settings.DEBUG:
        return {}
    problems = {}
    # Read past LazySettings: `settings.SECRET_KEY` itself raises when the key is empty.
    if not getattr(settings._wrapped, "SECRET_KEY", ""):
        problems["sundhedsaftale.E001"] = (
            "SECRET_KEY is not set (a long random string; only DEBUG=1 has a development key)."
        )
    if not settings.EMAIL_BACKEND:
        problems["sundhedsaftale.E002"] = (
            "EMAIL_BACKEND is not set (e.g. django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST); "
            "password-reset and reminder e-mails would go nowhere."
        )
    return problems


def production_check() -> None:
    """Refuse to start without DEBUG and without what production needs."""
    problems = production_problems()
    if problems:
        raise ImproperlyConfigured("Production settings are incomplete: " + " ".join(problems.values()))


@checks.register(checks.Tags.security, deploy=True)
def check_production_settings(app_configs=None, **kwargs):
    return [checks.Error(problem, id=check_id) for check_id, problem in production_problems().items()]
