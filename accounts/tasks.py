"""E-mails sent by a worker, not inside the request that asked for them (a password reset)."""

import kombu.exceptions
from celery import shared_task
from django.core.mail import EmailMultiAlternatives
from django.db import InterfaceError, OperationalError


@shared_task(
    name="accounts.email_send",
    autoretry_for=(OSError, OperationalError, InterfaceError, kombu.exceptions.OperationalError),
    retry_backoff=True,
    max_retries=5,
)
def email_send_task(subject: str, body: str, from_email: str, to: list[str], html: str | None = None) -> None:
    message = EmailMultiAlternatives(subject, body, from_email, to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


@shared_task(name="accounts.attempts_forget_old")
def attempts_forget_old_task() -> int:
    """Daily (Celery beat): delete log-in and reset counters whose window has passed."""
    from .throttle import attempts_forget_old

    return attempts_forget_old()
