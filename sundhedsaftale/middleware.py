import os

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from whitenoise.middleware import WhiteNoiseMiddleware

from . import actor


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, which reads STATIC_ROOT only once `collectstatic` has filled it.

    Without it (`make run`, the tests) the files are served from `static/` through the finders
    (WHITENOISE_USE_FINDERS), and WhiteNoise would warn "No directory at: staticfiles/" for a directory
    nothing needs yet.
    """

    def add_files(self, root, prefix=None):
        if self.use_finders and root == self.static_root and not os.path.isdir(root):
            return
        super().add_files(root, prefix=prefix)


class DanishFirstLocaleMiddleware:
    """Danish unless the user has chosen another language with the language switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a committee member with an
    English browser would get a half-English page; here only an explicit choice (the cookie) counts.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class CurrentUserMiddleware:
    """Remember who makes this request, so that the audit trail (goals.audit) can name the person behind a
    change made anywhere below the view (a form's save, the admin, a signal) without passing `user` through
    every call. Outside a request (bootstrap, Celery) there is no one: the change is the system's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = actor.current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            actor.current_request.reset(token)


class ContentSecurityPolicyMiddleware:
    """settings.CONTENT_SECURITY_POLICY on every response that has none: scripts only from our own static
    files, so an injected <script> or on...= attribute does not run (docs/security.md)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Content-Security-Policy", self.policy)
        return response
