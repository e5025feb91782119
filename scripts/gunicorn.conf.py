"""Gunicorn settings for `make demo` and for production (override by environment)."""

import os

bind = os.environ.get("CLEARSIGHT_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("CLEARSIGHT_WORKERS", "3"))
threads = int(os.environ.get("CLEARSIGHT_THREADS", "2"))
timeout = 60
accesslog = "-"
# Path without the query string: queries can carry names typed into search boxes, and
# personal data never goes into logs.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
