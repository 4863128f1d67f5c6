"""Log-in and password reset with throttling (accounts/throttle.py), so passwords cannot be guessed at speed
and reset e-mails cannot be sent in bulk. Counts live in the database: they hold with Redis down, and one
statement counts and reads, so parallel attempts cannot slip past the limit."""

import logging

import kombu.exceptions
from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.mail import EmailMultiAlternatives
from django.template import loader
from django.utils.translation import gettext_lazy as _

from accounts import throttle
from accounts.tasks import email_send_task

logger = logging.getLogger(__name__)


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _("For mange mislykkede forsøg. Vent %(minutes)s minutter, og prøv igen."),
    }

    def clean(self):
        address = throttle.client_address(self.request) if self.request else ""
        limits = throttle.login_limits(self.data.get("username") or "", address)
        if not throttle.attempt_reserve(limits):
            raise forms.ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": settings.LOGIN_FAILURE_WINDOW // 60},
            )
        cleaned = super().clean()  # a wrong password raises: the attempt stays counted
        throttle.attempt_release(limits)
        return cleaned


class ThrottledPasswordResetForm(PasswordResetForm):
    """Reset e-mails go out through a Celery task (not inside the request), at most a few per e-mail
    address and per client address in the window."""

    request = None

    def clean_email(self):
        email = self.cleaned_data["email"]
        address = throttle.client_address(self.request) if self.request else ""
        if not throttle.attempt_reserve(throttle.password_reset_limits(email, address)):
            raise forms.ValidationError(
                _("Der er bedt om for mange nulstillinger. Vent %(minutes)s minutter, og prøv igen."),
                code="throttled",
                params={"minutes": settings.LOGIN_FAILURE_WINDOW // 60},
            )
        return email

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        html = (
            loader.render_to_string(html_email_template_name, context) if html_email_template_name else None
        )
        try:
            email_send_task.delay(subject, body, from_email, [to_email], html)
        except kombu.exceptions.OperationalError:
            # The broker is down: send it from here rather than not at all.
            logger.warning("Broker unavailable; sending a password-reset e-mail in the request")
            message = EmailMultiAlternatives(subject, body, from_email, [to_email])
            if html:
                message.attach_alternative(html, "text/html")
            message.send()


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    form_class = ThrottledPasswordResetForm

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.request = self.request
        return form
