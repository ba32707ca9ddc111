from django.db import connection
from django.http import Http404, JsonResponse


def healthz(request):
    """Liveness and database reachability for load balancers and scripts."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def not_found(request, *args, **kwargs):
    """A 404 for addresses that are switched off on purpose (see marketplace.urls)."""
    raise Http404
