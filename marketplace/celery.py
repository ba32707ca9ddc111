import os

import structlog
from celery import Celery
from celery.signals import before_task_publish, task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.local")

app = Celery("marketplace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

#: The message header that carries the request id into a task
#: (marketplace.request_id).
REQUEST_ID_HEADER = "dastavard_request_id"


@before_task_publish.connect
def request_id_publish(headers=None, **kwargs):
    """A task queued during a request (or another task) carries its request id."""
    request_id = structlog.contextvars.get_contextvars().get("request_id")
    if request_id and headers is not None:
        headers.setdefault(REQUEST_ID_HEADER, request_id)


@task_prerun.connect
def request_id_bind(task=None, **kwargs):
    request_id = getattr(task.request, REQUEST_ID_HEADER, None) if task else None
    if task is not None and not task.request.is_eager:
        # An eager task runs inside the request and keeps its bindings.
        structlog.contextvars.clear_contextvars()
        if request_id:
            structlog.contextvars.bind_contextvars(request_id=request_id)
        structlog.contextvars.bind_contextvars(task=task.name)


@task_postrun.connect
def request_id_unbind(task=None, **kwargs):
    if task is not None and not task.request.is_eager:
        structlog.contextvars.clear_contextvars()
