"""The health check a load balancer or uptime monitor polls: is the database answering?"""

from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import outage


@never_cache
@require_safe
def healthz(request):
    """200 when the database answers a trivial query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        response = HttpResponse("database unavailable\n", status=503, content_type="text/plain")
        if outage.database_unreachable(error):
            # Logged once for the whole outage, not once a probe.
            outage.logged_already(response)
        return response
    return HttpResponse("ok\n", content_type="text/plain")
