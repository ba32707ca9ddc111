"""Her bazaars in the panel (/panel/<seller_id>/bazaars/…): the stalls she has,
and at each stall, on her phone: record a sale in a few taps (Persian digits
welcome), set units aside for the stall, and print her poster.

Membership is checked once, by `PanelMixin` (another booth's URL: 404); a stall
is looked up within her booth. Every member of the booth works the stall.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView

from orders import stalls as stall_ops
from orders.stall_forms import stall_form_submit, stall_page

from .. import selectors, services
from ..models import Delegation
from .views import PanelMixin


class BazaarListView(PanelMixin, TemplateView):
    """Her stalls at bazaars: running and coming first, then past."""

    panel_area = Delegation.Area.STALLS
    template_name = "sellers/panel/bazaars.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["stalls"] = list(selectors.seller_stalls(self.seller))
        return context


class StallMixin(PanelMixin):
    panel_area = Delegation.Area.STALLS

    def resolve(self, **kwargs) -> None:
        self.stall = (
            stall_ops.stall_page_queryset()
            .filter(pk=kwargs["stall_id"], seller=self.seller)
            .first()
        )
        if self.stall is None:
            raise Http404


class StallView(StallMixin, TemplateView):
    """The stall on her phone: the quick sale form first (while the bazaar
    runs), then what she set aside and her sales."""

    template_name = "sellers/panel/stall.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            stall_page(
                self.stall,
                sale_form=kwargs.get("sale_form"),
                aside_form=kwargs.get("aside_form"),
                limit=20,
            )
        )
        return context

    def post(self, request, *args, **kwargs):
        done, sale_form, aside_form = stall_form_submit(
            request.POST, stall=self.stall, actor=request.user
        )
        if done:
            messages.success(request, done)
            return redirect(
                reverse(
                    "panel:bazaar_stall",
                    kwargs={"seller_id": self.seller.pk, "stall_id": self.stall.pk},
                )
            )
        return self.render_to_response(
            self.get_context_data(sale_form=sale_form, aside_form=aside_form)
        )


class PosterView(StallMixin, TemplateView):
    """Her A4 poster for the stall, to print."""

    template_name = "sellers/bazaars/poster.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        qr_url = self.request.build_absolute_uri(
            reverse("bazaar_qr", args=[self.stall.pk])
        )
        context.update(services.stall_poster(stall=self.stall, qr_url=qr_url))
        return context
