"""Staff and conversations (/staff/orders/messages/…): only reported threads
and threads with a held message are listed or opened (`services
.threads_for_staff`); each opening writes a read-log entry, like a case file
(`services.thread_read_by_staff`); a held message is released or dropped.

Sellers' reviewers only (`services.can_read_threads`): anonymous visitors are
sent to log in, other users get 403 (`marketplace.staff.StaffPage`); any other
thread is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render

from marketplace.staff import StaffPage

from . import services
from .models import ThreadMessage


class ConversationStaffPage(StaffPage):
    permission_check = staticmethod(services.can_read_threads)


class ThreadsView(ConversationStaffPage):
    def get(self, request):
        return render(
            request,
            "orders/conversations/staff_threads.html",
            {"threads": list(services.threads_for_staff()[:200])},
        )


class ThreadView(ConversationStaffPage):
    def get(self, request, thread_id: int):
        try:
            thread = services.thread_read_by_staff(
                thread_id=thread_id, user=request.user
            )
        except PermissionDenied as error:
            raise Http404 from error
        return render(
            request,
            "orders/conversations/staff_thread.html",
            {
                "thread": thread,
                "thread_messages": services.thread_messages_for(thread, side=None),
                "reads": list(thread.read_log.select_related("user")[:20]),
            },
        )


class MessageModerateView(ConversationStaffPage):
    http_method_names = ["post"]

    def post(self, request, thread_id: int, message_id: int, op: str):
        if op not in ("release", "drop"):
            raise Http404
        message = ThreadMessage.objects.filter(
            pk=message_id, thread_id=thread_id, held=True
        ).first()
        if message is None:
            raise Http404
        services.message_moderate(
            message=message, user=request.user, release=op == "release"
        )
        messages.success(
            request, "پیام فرستاده شد." if op == "release" else "پیام کنار گذاشته شد."
        )
        return redirect("orders_staff:thread", thread_id=thread_id)
