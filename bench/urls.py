"""The service's URLs plus /bench/bare/: a page that does nothing of its own, so its rate is
what the stack (server, middleware, session, sign-in and second-factor checks) allows."""

from django.http import HttpResponse
from django.urls import path

from config.urls import handler404, handler500  # noqa: F401
from config.urls import urlpatterns as service_urls


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *service_urls]
