"""Programme staff pages (mounted at /staff/sellers/): the approval queue, a
seller's file, the staff actions, the approval checklist, mentoring and the
case file.

Views are thin: they check who may open the page, parse a form, call one
function of `sellers.services` (which checks the permission again, writes the
audit entry and notifies the seller), show a Persian message and redirect.

Access: the queue, the file, the actions and the checklist need
`permissions.can_review_sellers`; mentoring needs `can_mentor_sellers`; the case
file needs `can_read_casefile` (and `can_change_casefile` to edit). Anonymous
users are sent to the login page; logged-in users without the permission get 403.
The case file is read only through `services.casefile_read`, which logs the read;
no other page here touches it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from marketplace.forms import add_service_errors, error_text
from marketplace.staff import StaffPage

from .. import audit, permissions, selectors, services
from ..forms_staff import (
    CaseFileForm,
    ChecklistForm,
    MentoringSessionForm,
    MentoringStageForm,
    QueueFilterForm,
    ReasonForm,
)
from ..models import CaseFileAccess, Seller
from ..workflow import REVIEWER, staff_transitions_from, transition_named

CASEFILE_ACCESS_SHOWN = 50


class StaffView(StaffPage):
    """Base of the seller staff pages: login, then the page's permission (seller
    review unless the page says otherwise), else 403; never cached."""

    permission_check: Callable[[Any], bool] = staticmethod(
        permissions.can_review_sellers
    )

    def get_seller(self) -> Seller:
        return get_object_or_404(
            Seller.objects.select_related("district", "centre", "programme", "mentor"),
            pk=self.kwargs["seller_id"],
        )

    def file_url(self, seller_id: int, anchor: str = "") -> str:
        url = reverse("sellers_staff:file", kwargs={"seller_id": seller_id})
        return f"{url}#{anchor}" if anchor else url


# --- Queue ---------------------------------------------------------------------------


class ApprovalQueueView(StaffView):
    """Sellers waiting for a decision, longest waiting first, with filters.

    A constant number of queries whatever the number of sellers (see
    `selectors.seller_queue`)."""

    paginate_by = 25
    template_name = "sellers/staff/queue.html"

    def get(self, request, *args, **kwargs):
        form = QueueFilterForm(request.GET or None)
        if form.is_bound and not form.is_valid():
            messages.warning(
                request,
                "بعضی از فیلترها معتبر نبودند و نادیده گرفته شدند: "
                + "، ".join(str(form.fields[name].label) for name in form.errors),
            )
        now = timezone.now()
        queryset = selectors.seller_queue(**form.to_filters(), now=now)
        page = Paginator(queryset, self.paginate_by).get_page(request.GET.get("page"))
        totals = selectors.requirement_totals()
        for seller in page.object_list:
            seller.waiting_days = max((now - seller.waiting_since).days, 0)
            seller.checks_total = totals.get(seller.kind, 0)
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            self.template_name,
            {
                "filter_form": form,
                "page_obj": page,
                "sellers": page.object_list,
                "query_without_page": query.urlencode(),
            },
        )


# --- Seller file ---------------------------------------------------------------------


def _mentoring_context(
    seller: Seller, stage_form=None, session_form=None, return_to: str = "file"
) -> dict:
    stages = list(Seller.MentoringStage.choices)
    current = [value for value, _ in stages].index(seller.mentoring_stage)
    return {
        "stage_steps": [
            {
                "label": label,
                "state": "past" if i < current else "current" if i == current else "",
            }
            for i, (_, label) in enumerate(stages)
        ],
        "stage_form": stage_form
        or MentoringStageForm(
            initial={
                "stage": seller.mentoring_stage,
                "mentor": seller.mentor_id,
                "return_to": return_to,
            }
        ),
        "session_form": session_form
        or MentoringSessionForm(
            initial={"held_on": timezone.localdate(), "return_to": return_to}
        ),
        "sessions": seller.mentoring_sessions.all(),
    }


class SellerFileView(StaffView):
    """Everything staff need to decide about one seller, and the buttons to do it.

    Never reads her case file: with `sellers.view_casefile` it only links to the
    case-file page (where each read is logged); without it, not even that."""

    template_name = "sellers/staff/file.html"

    def get(self, request, *args, **kwargs):
        seller = selectors.seller_for_staff_file(seller_id=kwargs["seller_id"])
        if seller is None:
            raise Http404("فروشنده پیدا نشد")
        checklist = services.requirements_for(seller=seller)
        missing = services.requirements_missing(seller=seller)
        actions = staff_transitions_from(seller.status)
        context = {
            "seller": seller,
            "members": seller.members.all(),
            "invitations": seller.invitations.all(),
            "checklist": checklist,
            "missing": missing,
            "actions": actions,
            "reason_form": ReasonForm(),
            "audit_rows": [
                audit.describe(entry) for entry in seller.audit_entries.all()
            ],
            "notifications": seller.notifications.all(),
            "can_read_casefile": permissions.can_read_casefile(request.user),
            "can_mentor": permissions.can_mentor_sellers(request.user),
            "sheba_masked": (
                f"{seller.payout_sheba[:4]}…{seller.payout_sheba[-4:]}"
                if seller.payout_sheba
                else ""
            ),
        }
        context.update(_mentoring_context(seller))
        return render(request, self.template_name, context)


class SellerActionView(StaffView):
    """POST only: start review, approve, reject, ask for changes, suspend, reinstate."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        action = transition_named(kwargs["action"])
        if action is None or action.by != REVIEWER:
            raise Http404("این کار تعریف نشده است")
        seller = get_object_or_404(Seller, pk=kwargs["seller_id"])
        arguments = {"seller": seller, "actor": request.user, "action": action.action}
        if action.needs_reason:
            form = ReasonForm(request.POST)
            if not form.is_valid():
                messages.error(
                    request,
                    f"«{action.button}» انجام نشد: "
                    + " ".join(e for errors in form.errors.values() for e in errors),
                )
                return HttpResponseRedirect(self.file_url(seller.pk, "actions"))
            arguments["reason"] = form.cleaned_data["reason"]
        try:
            services.seller_transition(**arguments)
        except ValidationError as error:
            messages.error(request, f"«{action.button}» انجام نشد: {error_text(error)}")
        else:
            messages.success(request, action.done_message)
        return HttpResponseRedirect(self.file_url(seller.pk, "actions"))


class ChecklistView(StaffView):
    """POST only: tick or untick one approval checklist item (audited)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        seller = self.get_seller()
        form = ChecklistForm(request.POST, seller=seller)
        if not form.is_valid():
            messages.error(
                request,
                "چک‌لیست تغییر نکرد: "
                + " ".join(e for errors in form.errors.values() for e in errors),
            )
            return HttpResponseRedirect(self.file_url(seller.pk, "checklist"))
        requirement = form.cleaned_data["requirement"]
        done = form.cleaned_data["done"]
        try:
            services.requirement_set(
                seller=seller,
                requirement=requirement,
                done=done,
                actor=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            messages.error(request, f"چک‌لیست تغییر نکرد: {error_text(error)}")
        else:
            verb = "انجام‌شده علامت خورد" if done else "از حالت انجام‌شده درآمد"
            messages.success(request, f"«{requirement.title}» {verb}.")
        return HttpResponseRedirect(self.file_url(seller.pk, "checklist"))


# --- Mentoring -----------------------------------------------------------------------


class MentoringView(StaffView):
    """GET: the seller's mentoring (stage, mentor, sessions) for mentors.
    POST: change stage/mentor (`form=stage`) or add a session (`form=session`)."""

    permission_check = staticmethod(permissions.can_mentor_sellers)
    template_name = "sellers/staff/mentoring.html"

    def get(self, request, *args, **kwargs):
        seller = self.get_seller()
        return self.render_page(seller)

    def render_page(self, seller, *, stage_form=None, session_form=None, status=200):
        context = {
            "seller": seller,
            "can_review": permissions.can_review_sellers(self.request.user),
        }
        context.update(
            _mentoring_context(seller, stage_form, session_form, return_to="mentoring")
        )
        return render(self.request, self.template_name, context, status=status)

    def redirect_back(self, seller, return_to):
        if return_to == "file" and permissions.can_review_sellers(self.request.user):
            return HttpResponseRedirect(self.file_url(seller.pk, "mentoring"))
        return HttpResponseRedirect(
            reverse("sellers_staff:mentoring", kwargs={"seller_id": seller.pk})
        )

    def post(self, request, *args, **kwargs):
        seller = self.get_seller()
        which = request.POST.get("form")
        if which == "stage":
            form = MentoringStageForm(request.POST)
            if form.is_valid():
                return self._save(
                    seller,
                    form,
                    lambda: services.mentoring_update(
                        seller=seller,
                        actor=request.user,
                        stage=form.cleaned_data["stage"],
                        mentor=form.cleaned_data["mentor"],
                    ),
                    "مرحلهٔ همراهی و منتور ذخیره شد.",
                    "stage_form",
                )
            messages.error(request, "مرحلهٔ همراهی ذخیره نشد؛ خطاها را ببینید.")
            return self.render_page(seller, stage_form=form, status=400)
        if which == "session":
            form = MentoringSessionForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                return self._save(
                    seller,
                    form,
                    lambda: services.mentoring_session_add(
                        seller=seller,
                        actor=request.user,
                        held_on=data["held_on"],
                        topic=data["topic"],
                        notes=data["notes"],
                        next_step=data["next_step"],
                    ),
                    "جلسهٔ همراهی ثبت شد.",
                    "session_form",
                )
            messages.error(request, "جلسه ثبت نشد؛ خطاها را ببینید.")
            return self.render_page(seller, session_form=form, status=400)
        messages.error(request, "فرم ناشناخته است.")
        return self.redirect_back(seller, "mentoring")

    def _save(self, seller, form, call, done_message, form_name):
        try:
            call()
        except ValidationError as error:
            add_service_errors(form, error)
            messages.error(self.request, f"ذخیره نشد: {error_text(error)}")
            # Reload: the service may have changed the instance before refusing.
            return self.render_page(self.get_seller(), **{form_name: form}, status=400)
        messages.success(self.request, done_message)
        return self.redirect_back(seller, form.cleaned_data.get("return_to"))


# --- Case file -----------------------------------------------------------------------


class CaseFileView(StaffView):
    """GET: the case file, read through `services.casefile_read` (logged), and its
    access log. POST: edit it through `services.casefile_update` (needs
    `sellers.change_casefile`). Never cached, never indexed."""

    permission_check = staticmethod(permissions.can_read_casefile)
    template_name = "sellers/staff/case_file.html"

    def dispatch(self, request, *args, **kwargs):
        if (
            request.method == "POST"
            and request.user.is_authenticated
            and not permissions.can_change_casefile(request.user)
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        seller = self.get_seller()
        case_file = services.casefile_read(seller=seller, user=request.user)
        form = None
        if permissions.can_change_casefile(request.user):
            form = CaseFileForm(
                initial={
                    name: getattr(case_file, name) for name in CaseFileForm.base_fields
                }
            )
        return self.render_page(seller, case_file, form)

    def post(self, request, *args, **kwargs):
        seller = self.get_seller()
        form = CaseFileForm(request.POST)
        if not form.is_valid():
            messages.error(request, "پرونده ذخیره نشد؛ خطاها را ببینید.")
            case_file = services.casefile_read(seller=seller, user=request.user)
            return self.render_page(seller, case_file, form, status=400)
        services.casefile_update(seller=seller, user=request.user, **form.cleaned_data)
        messages.success(request, "پرونده ذخیره شد.")
        return HttpResponseRedirect(
            reverse("sellers_staff:case_file", kwargs={"seller_id": seller.pk})
        )

    def render_page(self, seller, case_file, form, status=200):
        accesses = CaseFileAccess.objects.filter(case_file=case_file).select_related(
            "user"
        )[:CASEFILE_ACCESS_SHOWN]
        return render(
            self.request,
            self.template_name,
            {
                "seller": seller,
                "case_file": case_file,
                "form": form,
                "accesses": accesses,
                "accesses_shown": CASEFILE_ACCESS_SHOWN,
            },
            status=status,
        )


# --- Assisted selling: delegations per centre, a mentor's work across booths ---------


class DelegationsView(StaffView):
    """Live delegations, per Kowsar centre (`?centre=<id>` for one): who works
    for which booth, in which areas, until when. For mentors."""

    permission_check = staticmethod(permissions.can_mentor_sellers)

    def get(self, request, *args, **kwargs):
        centre_id = _positive_int(request.GET.get("centre"))
        delegations = selectors.delegations_live_by_centre(centre_id=centre_id)
        return render(
            request,
            "sellers/staff/delegations.html",
            {
                "groups": delegations,
                "centres": selectors.centres_with_delegations(),
                "centre_id": centre_id,
            },
        )


class MentorActionsView(StaffView):
    """What one staff member did for sellers under their delegations, across
    booths, newest first. For mentors."""

    permission_check = staticmethod(permissions.can_mentor_sellers)

    def get(self, request, *args, **kwargs):
        mentor = get_object_or_404(User, pk=kwargs["user_id"], is_staff=True)
        page = Paginator(selectors.delegated_actions_of(user=mentor), 50).get_page(
            request.GET.get("page")
        )
        return render(
            request,
            "sellers/staff/mentor_actions.html",
            {
                "mentor": mentor,
                "page_obj": page,
                "rows": [audit.describe(entry) for entry in page.object_list],
            },
        )


def _positive_int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None
