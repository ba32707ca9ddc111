"""Her consent to a mentor working for her (/panel/<seller_id>/delegation/):
grant it (who, which areas, until when), withdraw it, and read what was done
for her under it. Every member reads it; only owners grant and withdraw
(`sellers.services.delegation_grant`). Never part of a delegation: a mentor
working for her gets a 404 here (`PanelMixin.panel_area` is None)."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import TemplateView

from marketplace.forms import add_service_errors

from .. import audit, permissions, services
from ..models import Delegation
from .forms import DelegationForm
from .views import PanelMixin, _int

logger = logging.getLogger(__name__)


class DelegationView(PanelMixin, TemplateView):
    template_name = "sellers/panel/delegation.html"

    def candidates(self):
        return services.delegation_candidates(seller=self.seller)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        is_owner = permissions.is_owner(self.membership)
        page = Paginator(services.delegated_entries(seller=self.seller), 50).get_page(
            self.request.GET.get("page")
        )
        context.update(
            delegations=list(
                self.seller.delegations.select_related("delegate").filter(
                    Delegation.live_q()
                )
            ),
            form=kwargs.get("form")
            or (DelegationForm(candidates=self.candidates()) if is_owner else None),
            page_obj=page,
            rows=[audit.describe(entry) for entry in page.object_list],
            max_days=services.DELEGATION_MAX_DAYS,
        )
        return context

    def post(self, request, *args, **kwargs):
        if not permissions.is_owner(self.membership):
            raise Http404
        url = redirect("panel:delegation", seller_id=self.seller.pk)
        if request.POST.get("op") == "withdraw":
            delegation = self.seller.delegations.filter(
                pk=_int(request.POST.get("delegation_id"))
            ).first()
            if delegation is None:
                messages.error(request, "این اجازه پیدا نشد.")
                return url
            services.delegation_withdraw(delegation=delegation, actor=request.user)
            messages.success(
                request, "اجازه پس گرفته شد؛ دیگر کسی به جای شما کار نمی‌کند."
            )
            return url
        form = DelegationForm(request.POST, candidates=self.candidates())
        if form.is_valid():
            try:
                services.delegation_grant(
                    seller=self.seller,
                    actor=request.user,
                    delegate=form.candidates[form.cleaned_data["delegate"]],
                    areas=form.cleaned_data["areas"],
                    ends_on=form.cleaned_data["ends_on"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "اجازه داده شد؛ پیامک آن برای شما آمد.")
                return url
        return self.render_to_response(self.get_context_data(form=form))


def delegated_summary_at_login(sender, request, user, **kwargs):
    """`user_logged_in` receiver (connected in `SellersConfig.ready`): at her
    login, once, what her mentor did for her since she last looked («۳ محصول
    افزوده شد، ۲ سفارش پذیرفته شد»), on the first page she sees."""
    if request is None:
        return
    try:
        texts = services.delegated_summary_take(user=user)
    except DatabaseError:  # a summary must never stop a login
        logger.exception("the summary of delegated work could not be read")
        return
    for text in texts:
        messages.info(request, text, fail_silently=True)
