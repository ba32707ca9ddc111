"""gunicorn, as each app server runs it (`gunicorn -c deploy/gunicorn.conf.py
marketplace.wsgi`; systemd: deploy/systemd/dastavard-web@.service, and
`scripts/stack` on this machine). Settings come from the environment so one
file serves every host.

- The application is preloaded in the master and warmed there
  (`marketplace.warmup`): URLconf resolved, key templates compiled. Workers are
  forked from it warm, so the first buyer after a deploy or a recycle does not
  pay a cold worker's ~1 s.
- Workers recycle after `max_requests` (± jitter, so they do not all restart
  at once) and stop gracefully: a worker finishes its requests within
  `graceful_timeout` before it is killed (SIGTERM, `systemctl reload` sends
  SIGHUP: new workers, old ones drained).
- nginx is the only client: it sets `X-Forwarded-Proto` and the client's
  address (`TRUSTED_PROXIES`, `CLIENT_IP_HEADER`).
"""

import os
import shutil

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
# Sync workers: every view is short; slow clients are nginx's (it buffers).
worker_class = "sync"
preload_app = True
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# The heartbeat file in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
# Only nginx (same host) may set X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# nginx writes the access log (with the request id); the app logs its own line.
accesslog = None
errorlog = os.environ.get("GUNICORN_ERRORLOG", "-")
# The app's own log lines (stderr) go where gunicorn's go, daemon or not.
capture_output = True
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
proc_name = os.environ.get("GUNICORN_PROC_NAME", "dastavard-web")
pidfile = os.environ.get("GUNICORN_PIDFILE") or None


def on_starting(server):
    """Each start gets empty Prometheus files: counters of workers that no
    longer exist would otherwise be added up for ever."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory, exist_ok=True)


def when_ready(server):
    """In the master, after the preload and before the first fork."""
    from marketplace.warmup import warm_up

    loaded = warm_up()
    server.log.info("warmed up: URLconf and %d templates", len(loaded))


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
