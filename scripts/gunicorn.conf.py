"""Gunicorn settings for `make demo` and for production (override by environment)."""

import os

bind = os.environ.get("CLEARSIGHT_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("CLEARSIGHT_WORKERS", "3"))
threads = int(os.environ.get("CLEARSIGHT_THREADS", "2"))
timeout = 60
# Longer than a person (or the load test's users) waits between pages: with gunicorn's
# default of 2 s, a browser reusing a connection the server has just closed gets a reset.
keepalive = int(os.environ.get("CLEARSIGHT_KEEPALIVE", "5"))
accesslog = "-"
# Path without the query string: queries can carry names typed into search boxes, and
# personal data never goes into logs.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
