"""Stripe's webhook (mounted at /stripe/)."""

from django.urls import path

from .views.stripe_webhook import stripe_webhook_view

app_name = "stripe"

urlpatterns = [path("webhook/", stripe_webhook_view, name="webhook")]
