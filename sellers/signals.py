"""Signals the sellers domain sends for layers above it to react to.

The domain may not import the Wagtail pages (`cms`), yet her consent decides
whether her story page may stay published: `story_consent_changed` lets `cms`
react (unpublish at once, drop cached pages) without the domain knowing it.
"""

from django.dispatch import Signal

#: Sent by `sellers.services.seller_story_consent_set` inside its transaction,
#: with `seller` and `consent` (the new value), only when the value changed.
story_consent_changed = Signal()
