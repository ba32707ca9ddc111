"""Content-Security-Policy for the card payment page only: Stripe.js and its
frames (`STRIPE_CSP` in settings), added to the site's policy for this view
alone, so no other page may load Stripe's code."""

from csp.decorators import csp_update
from django.conf import settings


def stripe_csp(view):
    return csp_update(settings.STRIPE_CSP)(view)
