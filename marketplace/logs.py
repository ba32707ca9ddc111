"""Structured logs: one JSON object a line, with the request id, and no personal
data (issue 26).

Every record, ours through structlog or anyone's through the standard library
(Django, Celery, Oscar, Wagtail), passes the same processors
(`logging_config`): the request id bound for the request or the Celery task
(`marketplace.request_id`), then `mask_personal_data`, then the time stamp and
the JSON renderer. Code should still log `mask_phone(...)` and ids rather than
people's details; the masking is the net under it:

- a run of ten or more digits (in any digit system: Latin, Persian «۰۹۱۲…»,
  Arabic-Indic), separators allowed between them: mobiles in every written
  form, landlines with their code, card numbers, Sheba account numbers;
- e-mail addresses;
- the whole value of a key that names a person's details (`SENSITIVE_KEYS`:
  address lines, notes, case-file text, names).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import structlog

MASK = "[masked]"
PHONE_MASK = "[phone]"
EMAIL_MASK = "[email]"

#: Ten or more digits of any script (\d is Unicode), with at most one space,
#: hyphen, dot, slash or ZWNJ between two of them, and an optional leading +.
_DIGIT_RUN = re.compile(r"\+?\d(?:[ \-./\u200c\u00a0]?\d){9,}")
_EMAIL = re.compile(
    r"[^\s@<>()\[\]\"',;:]+@[^\s@<>()\[\]\"',;:]+\.[^\s@<>()\[\]\"',;:]+"
)

#: Keys whose values are a person's details, whatever they look like.
SENSITIVE_KEYS = frozenset(
    {
        "phone",
        "mobile",
        "phone_number",
        "email",
        "address",
        "line1",
        "line2",
        "line3",
        "line4",
        "postcode",
        "notes",
        "note",
        "first_name",
        "last_name",
        "full_name",
        "recipient",
        "casefile",
        "case_file",
        "case_text",
        "assessment",
        "story",
        "sheba",
        "iban",
        "password",
        "code",
        "otp",
        "token",
        "authorization",
        "cookie",
        "sessionid",
        "csrftoken",
    }
)


def mask_text(text: str) -> str:
    """`text` with phone-like digit runs and e-mail addresses replaced."""
    text = _EMAIL.sub(EMAIL_MASK, text)
    return _DIGIT_RUN.sub(PHONE_MASK, text)


def is_sensitive_key(key: str) -> bool:
    lowered = key.lower().replace("-", "_")
    return lowered in SENSITIVE_KEYS or any(
        part in lowered for part in ("address", "casefile", "case_file", "password")
    )


def mask_value(value: Any, *, depth: int = 0) -> Any:
    """`value` with personal data masked, into dicts, lists and tuples (bounded
    depth: an event is never that deep)."""
    if depth > 8:
        return MASK
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, Mapping):
        return {
            key: (
                MASK
                if isinstance(key, str) and is_sensitive_key(key)
                else mask_value(item, depth=depth + 1)
            )
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return type(value)(mask_value(item, depth=depth + 1) for item in value)
    return value


#: Keys structlog and our middleware write, never personal and never masked
#: (a request id is hex and may hold ten digits in a row).
_KEEP = frozenset({"request_id", "timestamp", "level", "logger", "duration_ms"})


def mask_personal_data(logger, method_name: str, event_dict: dict) -> dict:
    """structlog processor: see the module docstring."""
    for key, value in list(event_dict.items()):
        if key in _KEEP:
            continue
        if is_sensitive_key(key):
            event_dict[key] = MASK
        else:
            event_dict[key] = mask_value(value)
    return event_dict


def _drop_record(logger, method_name: str, event_dict: dict) -> dict:
    # ProcessorFormatter keeps the stdlib record for its own use; it must not be
    # rendered (it holds the unmasked arguments).
    event_dict.pop("_record", None)
    event_dict.pop("_from_structlog", None)
    return event_dict


#: Run on every record, structlog's and the standard library's alike, before
#: it is rendered.
SHARED_PROCESSORS = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    # The fields our own log calls pass in `extra` (the request line); never the
    # request object Django's loggers pass.
    structlog.stdlib.ExtraAdder(
        allow=["method", "route", "status", "duration_ms", "task", "queue"]
    ),
    structlog.stdlib.PositionalArgumentsFormatter(),
    structlog.processors.StackInfoRenderer(),
    structlog.processors.format_exc_info,
]


def formatter_processors(*, json: bool) -> list:
    renderer = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if json
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    return [
        _drop_record,
        mask_personal_data,
        # After masking: an epoch or a date is never taken for a phone.
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        renderer,
    ]


def structlog_configure() -> None:
    """structlog's loggers hand their events to the standard library, so both
    leave through the one formatter of `logging_config`."""
    structlog.configure(
        processors=[
            *SHARED_PROCESSORS,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def json_formatter(*, json: bool = True) -> structlog.stdlib.ProcessorFormatter:
    """The formatter every handler uses (also what tests attach to capture)."""
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=SHARED_PROCESSORS,
        processors=formatter_processors(json=json),
    )


def logging_config(*, json: bool, level: str) -> dict:
    """Django's LOGGING: one console handler writing through `json_formatter`."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structured": {
                "()": "marketplace.logs.json_formatter",
                "json": json,
            }
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "structured"}
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # One line a request (marketplace.request_id), at INFO whatever the
            # root level, so a request id always has its line.
            "marketplace.requests": {"level": "INFO"},
        },
    }


def get_logger(name: str):
    return structlog.get_logger(name)
