"""The service's own URLs plus views that meet a database too busy to answer (tests only)."""

from django.db import OperationalError, connection, transaction
from django.urls import path

from config.urls import urlpatterns as service_urls


def locked(request):
    raise OperationalError("database is locked")


def write_probe(request):
    """Write a row: against a locked SQLite database this waits out busy_timeout, then fails."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO busy_probe (value) VALUES (1)")
    from django.http import HttpResponse

    return HttpResponse("written")


urlpatterns = [
    path("busy/", locked),
    path("api/busy/", locked),
    path("busy/write/", write_probe),
    *service_urls,
]
