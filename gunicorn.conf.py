"""gunicorn settings for production: ``gunicorn -c gunicorn.conf.py cocreate.wsgi``."""

import multiprocessing
import os
import re

from gunicorn.glogging import Logger

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
# No client address, user agent or referrer in the access log: they are personal data.
access_log_format = '{"time": "%(t)s", "request": "%(m)s %(U)s", "status": %(s)s, "bytes": %(B)s, "ms": %(M)s}'
errorlog = "-"

# Secrets travel in some paths (unfollow links, email confirmation and password reset keys).
SECRET_PATH = re.compile(r"(/(?:unfollow|confirm-email|key)/)[^/]+")


class AccessLogWithoutSecrets(Logger):
    """The access log with the secret part of such paths replaced by [redacted]."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = SECRET_PATH.sub(r"\1[redacted]", atoms["U"])
        return atoms


logger_class = AccessLogWithoutSecrets
