from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import health


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """For load balancers and compose health checks: 200 when the database answers and, when a broker is
    configured (REDIS_URL), Redis answers too; 503 otherwise. The JSON also says how recently a worker ran
    a task (its heartbeat), which does not change the status code: pages answer without a worker."""
    body = {"status": "ok", "database": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        body.update(status="error", database="unreachable")
    if settings.REDIS_URL:
        if health.redis_reachable():
            body["redis"] = "ok"
            body["worker"] = health.worker_heartbeat()
        else:
            body.update(
                status="error", redis="unreachable", worker={"status": "unknown", "seconds_ago": None}
            )
    else:
        body["redis"] = "not configured"
        body["worker"] = {"status": "in-process", "seconds_ago": None}
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)


class LogoutView(auth_views.LogoutView):
    """Log-out that also empties what this site kept in the browser (the report draft in localStorage):
    on a shared computer the next person must not find it. static/js/site.js removes it too, for browsers
    that ignore the header."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"storage"'
        return response
