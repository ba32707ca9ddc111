"""The booth's side of its conversations: the «پیام‌ها» tab of her inbox
(/panel/<seller_id>/messages/…), one thread (read and reply), report it, and
the thread of one of her parts.

Panel pages (`sellers.panel.views.PanelMixin`, the panel's one membership
check; her mentor under a delegation of the inbox too); a thread is looked up
within her booth, so another booth's thread is a 404. Every member sees every
thread of the booth."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views import View

from marketplace.forms import add_service_errors
from sellers.models import Delegation
from sellers.panel.views import PanelMixin
from sellers.services import delegated_order_step_record

from ..selectors import part_for_seller
from . import services
from .forms import REPORT_TOO_LONG, MessageForm, ReportForm
from .models import BOOTH, Thread


class ConversationPage(PanelMixin, View):
    panel_area = Delegation.Area.INBOX


class ThreadPage(ConversationPage):
    def resolve(self, *, thread_id: int, **kwargs) -> None:
        self.thread = (
            Thread.objects.select_related("seller_order", "product")
            .filter(pk=thread_id, seller=self.seller)
            .first()
        )
        if self.thread is None:
            raise Http404


class ThreadListView(ConversationPage):
    def get(self, request, seller_id: int):
        threads = list(services.threads_for_booth(seller=self.seller)[:100])
        return render(
            request,
            "orders/conversations/panel_threads.html",
            {
                "seller": self.seller,
                "membership": self.membership,
                "threads": threads,
                "unread_total": sum(t.unread for t in threads),
            },
        )


class ThreadView(ThreadPage):
    def get(self, request, **kwargs):
        # read when she opens it (a refused reply changes nothing, not even this)
        services.thread_mark_read(self.thread, side=BOOTH)
        return self.page(MessageForm())

    def post(self, request, **kwargs):
        form = MessageForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                with transaction.atomic():
                    posted = services.message_post(
                        thread=self.thread,
                        side=BOOTH,
                        sender=request.user,
                        text=form.cleaned_data["text"],
                        photo=form.cleaned_data.get("photo"),
                    )
                    if self.delegation is not None:
                        # her mentor's answer goes on the booth's file too
                        delegated_order_step_record(
                            seller=self.seller,
                            actor=request.user,
                            action="message",
                            part_number=self.thread.subject,
                        )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                for notice in posted.notices:
                    messages.warning(request, notice)
                if not posted.message.held:
                    messages.success(request, "پیام فرستاده شد.")
                return redirect(
                    "orders_panel:thread",
                    seller_id=self.seller.pk,
                    thread_id=self.thread.pk,
                )
        return self.page(form)

    def page(self, form):
        return render(
            self.request,
            "orders/conversations/thread.html",
            {
                "seller": self.seller,
                "membership": self.membership,
                "thread": self.thread,
                "side": BOOTH,
                "thread_messages": services.thread_messages_for(
                    self.thread, side=BOOTH
                ),
                "form": form,
                "closed": services.thread_is_closed(self.thread),
                "report_form": ReportForm(),
            },
        )


class ThreadReportView(ThreadPage):
    http_method_names = ["post"]

    def post(self, request, **kwargs):
        form = ReportForm(request.POST)
        if form.is_valid():
            services.thread_report(
                thread=self.thread, side=BOOTH, reason=form.cleaned_data["reason"]
            )
            messages.success(request, "گزارش شما برای کارشناسان فرستاده شد.")
        else:
            messages.error(request, REPORT_TOO_LONG)
        return redirect(
            "orders_panel:thread", seller_id=self.seller.pk, thread_id=self.thread.pk
        )


class PartThreadView(ConversationPage):
    """Her message to the buyer of one of her parts: its one thread."""

    http_method_names = ["post"]

    def resolve(self, *, part_id: int, **kwargs) -> None:
        self.part = part_for_seller(seller=self.seller, part_id=part_id)
        if self.part is None:
            raise Http404

    def post(self, request, **kwargs):
        thread = services.thread_for_part(
            seller_order=self.part, side=BOOTH, user=request.user
        )
        return redirect(
            "orders_panel:thread", seller_id=self.seller.pk, thread_id=thread.pk
        )
