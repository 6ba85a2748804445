"""Gunicorn settings for `make serve` (and the systemd unit and container in deploy/).

Workers, bind address and port come from the command line (ops/serving.py). Request logs
come from Django as JSON lines (ops.middleware.RequestLogMiddleware), so gunicorn's own
access log stays off: it would print query strings, and searches carry names in them.
"""

import os

wsgi_app = "config.wsgi:application"
# Threaded workers: each process answers on kept-alive connections (sync workers close the
# connection after every answer), and a second thread works while the first waits on
# PostgreSQL. Measured with `make bench` (bench/load.py) against sync workers on 2 cores.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
# Load Django once in the master, then fork: workers start fast and share memory.
preload_app = True
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
# Pages answer in milliseconds; heavy work runs in the task workers.
timeout = 60
graceful_timeout = 30
keepalive = 5
# Workers are not recycled unless GUNICORN_MAX_REQUESTS asks for it. A gthread worker that
# leaves after its quota closes, unanswered, any connection it has accepted but not yet
# read: a browser shows that as an empty response (measured: 1 to 2 failed requests in
# about 35,000 on the bare page at 10 clients, recycling every 5,000 requests). A worker's
# memory stays level without it: 92 to 95 MB each through 15,000 mixed pages (bench/load.py's
# mix, 5 workers). Set it (with a tenth as jitter) where a leak is suspected.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
# The proxy in front (nginx, a load balancer) may set X-Forwarded-* headers; by default only
# one on this machine is trusted. FORWARDED_ALLOW_IPS widens it (see gunicorn's docs).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
