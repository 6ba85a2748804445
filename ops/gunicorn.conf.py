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
# Recycle a worker now and then, so slow leaks never add up.
max_requests = 5000
max_requests_jitter = 500
# The proxy in front (nginx, a load balancer) may set X-Forwarded-* headers; by default only
# one on this machine is trusted. FORWARDED_ALLOW_IPS widens it (see gunicorn's docs).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
