"""Gunicorn settings for `make demo` and for production (override by environment).

Sync workers by default (one request at a time per process), two per CPU core plus one
(decision 0014). A sync worker takes a connection off the shared listening socket only
when it is free, so the kernel hands each request to an idle worker. With threaded
workers and keep-alive, each client's connection stayed with the process that first
accepted it: in the load test one worker did 60% of the work while the others idled,
and requests queued behind it. Sync workers need a buffering reverse proxy in front
(nginx buffers by default), so that a slow client never holds a worker; production has
one for TLS anyway (docs/operations.md)."""

import multiprocessing
import os

bind = os.environ.get("CLEARSIGHT_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("CLEARSIGHT_WORKERS", str(2 * multiprocessing.cpu_count() + 1)))
# More than 1 switches gunicorn to threaded workers (gthread), which keep connections
# alive; CLEARSIGHT_KEEPALIVE is how long they wait for the next request on one.
threads = int(os.environ.get("CLEARSIGHT_THREADS", "1"))
timeout = 60
# Longer than a person waits between pages: with gunicorn's default of 2 s, a browser
# reusing a connection the server has just closed gets a reset. Sync workers close the
# connection after each answer and do not use it.
keepalive = int(os.environ.get("CLEARSIGHT_KEEPALIVE", "5"))
accesslog = "-"
# Path without the query string: queries can carry names typed into search boxes, and
# personal data never goes into logs.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
