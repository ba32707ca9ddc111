"""The seller's panel. Every view resolves the seller through
`permissions.membership_for`, so another booth's URL is a 404; a mentor
working for her under a delegation reaches only the pages of the areas she
was given (`PanelMixin.panel_area`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Subquery
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views import View
from django.views.generic import TemplateView

from catalog.seller_selectors import product_list_needing_attention
from marketplace.accounts import staff as staff_security
from marketplace.forms import add_service_errors, error_text
from marketplace.persian import format_jalali_numeric

from .. import audit, permissions, services
from ..models import Delegation, Seller, SellerNotification
from .forms import HolidayForm, InviteForm, PayoutForm


class PanelMixin(LoginRequiredMixin):
    """Resolves `self.membership` and `self.seller` from the URL, or 404, before
    anything else; then `resolve()`, where a page looks up what else its URL
    names (within her booth). The one place the panel checks membership.

    `panel_area` is the delegable area a page belongs to (`Delegation.Area`;
    None: members only). A mentor holding a live delegation of that area gets
    the page with `self.delegation` set, and everything it writes to the
    booth's audit trail is marked "by mentor X for seller Y"
    (`audit.acting_under`); outside her areas, after the end date or the
    withdrawal, the page is a 404 like any other booth's."""

    panel_area: str | None = None
    delegation: Delegation | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.membership = permissions.membership_for(
            request.user, kwargs["seller_id"], area=self.panel_area
        )
        self.seller = self.membership.seller
        self.delegation = permissions.acting_for(self.membership)
        if self.delegation is not None and not _second_factor_passed(request):
            # A staff member working for a seller is on a staff errand: the
            # staff areas' second factor holds here too.
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:staff_otp')}?{query}")
        self.resolve(**kwargs)
        with audit.acting_under(self.delegation):
            return super().dispatch(request, *args, **kwargs)

    def resolve(self, **kwargs) -> None:
        """Look up (or 404) what the URL names besides the seller."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            seller=self.seller,
            membership=self.membership,
            is_owner=permissions.is_owner(self.membership),
        )
        return context


def _second_factor_passed(request) -> bool:
    verified = getattr(request.user, "is_verified", None)
    return bool(verified and verified()) or staff_security.demo_bypass_on()


class PanelIndexView(LoginRequiredMixin, TemplateView):
    """Where /panel/ leads: her booth, a choice of booths, or the way to apply."""

    template_name = "sellers/panel/index.html"

    def get(self, request, *args, **kwargs):
        sellers = permissions.sellers_of(request.user)
        invitations = services.invitations_for(user=request.user)
        delegations = services.delegations_live_for(user=request.user)
        if len(sellers) == 1 and not invitations and not delegations:
            return redirect("panel:home", seller_id=sellers[0].pk)
        return self.render_to_response(
            self.get_context_data(
                sellers=sellers, invitations=invitations, delegations=delegations
            )
        )


class PanelHomeView(PanelMixin, TemplateView):
    """Her status (with the reason), her checklist, her mentoring progress."""

    template_name = "sellers/panel/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        seller = self.seller
        # The latest messages and the number unread, in one query (the page
        # stays within 12 with the "needs attention" box below).
        unread = (
            SellerNotification.objects.filter(seller=seller, read_at__isnull=True)
            .order_by()
            .values("seller")
            .annotate(n=Count("pk"))
            .values("n")
        )
        notifications = list(
            seller.notifications.annotate(unread_total=Subquery(unread))[:5]
        )
        context.update(
            checklist=services.requirements_for(seller=seller),
            stages=Seller.MentoringStage.choices,
            stage_index=list(Seller.MentoringStage.values).index(
                seller.mentoring_stage
            ),
            sessions=list(seller.mentoring_sessions.all()[:10]),
            notifications=notifications,
            unread_count=(notifications[0].unread_total or 0) if notifications else 0,
            # Products staff sent back with a coaching note (catalog/panel).
            attention_products=product_list_needing_attention(seller=seller),
            on_holiday=seller.on_holiday_today,
        )
        return context


class ResubmitView(PanelMixin, View):
    def post(self, request, *args, **kwargs):
        try:
            services.seller_resubmit(seller=self.seller, actor=request.user)
        except PermissionDenied:
            messages.error(request, "فقط مدیر غرفه می‌تواند درخواست را دوباره بفرستد.")
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, "درخواست دوباره برای بررسی فرستاده شد.")
        return redirect("panel:home", seller_id=self.seller.pk)


class MembersView(PanelMixin, TemplateView):
    """Group members and invitations. Every member sees the members; only owners
    see pending invitations (numbers of women not in the group yet) and change
    either."""

    template_name = "sellers/panel/members.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            members=list(
                self.seller.members.select_related("user").order_by("joined_at")
            ),
            invitations=list(
                self.seller.invitations.filter(
                    accepted_at__isnull=True, cancelled_at__isnull=True
                )
            )
            if permissions.is_owner(self.membership)
            else [],
            invite_form=kwargs.get("invite_form") or InviteForm(),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not permissions.is_owner(self.membership):
            raise PermissionDenied
        operation = request.POST.get("op")
        try:
            if operation == "invite":
                form = InviteForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(
                        self.get_context_data(invite_form=form)
                    )
                services.member_invite(
                    seller=self.seller,
                    actor=request.user,
                    phone=form.cleaned_data["phone"],
                    role=form.cleaned_data["role"],
                )
                messages.success(request, "دعوت‌نامه با پیامک فرستاده شد.")
            elif operation == "remove":
                services.member_remove(
                    seller=self.seller,
                    actor=request.user,
                    member_id=_int(request.POST.get("member_id")),
                )
                messages.success(request, "عضو از غرفه حذف شد.")
            elif operation == "role":
                services.member_role_set(
                    seller=self.seller,
                    actor=request.user,
                    member_id=_int(request.POST.get("member_id")),
                    role=request.POST.get("role", ""),
                )
                messages.success(request, "نقش عضو تغییر کرد.")
            elif operation == "cancel":
                services.invitation_cancel(
                    seller=self.seller,
                    actor=request.user,
                    invitation_id=_int(request.POST.get("invitation_id")),
                )
                messages.success(request, "دعوت‌نامه لغو شد.")
            else:
                messages.error(request, "درخواست نامعتبر است.")
        except ValidationError as error:
            if operation == "invite":
                form = InviteForm(request.POST)
                form.is_valid()
                add_service_errors(form, error)
                return self.render_to_response(self.get_context_data(invite_form=form))
            messages.error(request, error_text(error))
        return redirect("panel:members", seller_id=self.seller.pk)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


class PayoutView(PanelMixin, TemplateView):
    """Where the booth's money goes. Owners change it; members see it masked."""

    template_name = "sellers/panel/payout.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sheba = self.seller.payout_sheba
        context["masked_sheba"] = f"IR…{sheba[-4:]}" if sheba else ""
        context["form"] = kwargs.get("form") or PayoutForm(
            initial={
                "account_holder": self.seller.payout_account_holder,
                "sheba": sheba,
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        if not permissions.is_owner(self.membership):
            raise PermissionDenied
        form = PayoutForm(request.POST)
        if form.is_valid():
            try:
                services.payout_details_update(
                    seller=self.seller,
                    actor=request.user,
                    account_holder=form.cleaned_data["account_holder"],
                    sheba=form.cleaned_data["sheba"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "اطلاعات حساب ذخیره شد.")
                return redirect("panel:payout", seller_id=self.seller.pk)
        return self.render_to_response(self.get_context_data(form=form))


class NotificationsView(PanelMixin, TemplateView):
    template_name = "sellers/panel/notifications.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["notifications"] = list(self.seller.notifications.all()[:100])
        return context

    def post(self, request, *args, **kwargs):
        self.seller.notifications.filter(read_at__isnull=True).update(
            read_at=timezone.now()
        )
        return redirect("panel:notifications", seller_id=self.seller.pk)


class InvitationAcceptView(LoginRequiredMixin, View):
    def post(self, request, invitation_id):
        try:
            membership = services.invitation_accept(
                invitation_id=invitation_id, user=request.user
            )
        except PermissionDenied as error:
            raise Http404 from error
        messages.success(request, f"به غرفهٔ «{membership.seller.brand_name}» پیوستید.")
        return redirect("panel:home", seller_id=membership.seller_id)


# --- Holiday mode ---------------------------------------------------------------------


class HolidayView(PanelMixin, TemplateView):
    """Holiday mode: her products stay visible but cannot be bought until the
    date she returns. Every member sees it; only owners start or end it (like
    payout details: it stops the whole booth's sales)."""

    template_name = "sellers/panel/holiday.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        seller = self.seller
        on_holiday = seller.on_holiday_today
        context.update(
            on_holiday=on_holiday,
            form=kwargs.get("form")
            or HolidayForm(
                initial={
                    "until": format_jalali_numeric(seller.holiday_until)
                    if on_holiday
                    else "",
                    "message": seller.holiday_message if on_holiday else "",
                }
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not permissions.is_owner(self.membership):
            raise PermissionDenied
        url = redirect("panel:holiday", seller_id=self.seller.pk)
        if request.POST.get("op") == "end":
            services.seller_holiday_set(
                seller=self.seller, actor=request.user, until=None
            )
            messages.success(request, "خوش برگشتید! محصولات غرفه دوباره خریدنی است.")
            return url
        form = HolidayForm(request.POST)
        if form.is_valid():
            try:
                services.seller_holiday_set(
                    seller=self.seller,
                    actor=request.user,
                    until=form.cleaned_data["until"],
                    message=form.cleaned_data["message"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    "حالت تعطیلات روشن شد. محصولات دیده می‌شوند ولی تا روز بازگشت "
                    "خریدنی نیستند.",
                )
                return url
        return self.render_to_response(self.get_context_data(form=form))


class StoryConsentView(PanelMixin, TemplateView):
    """Her consent to her story being public: her booth's story text and any
    story page the editors wrote with her. Every member sees it; only owners
    give or withdraw it. Withdrawing takes the story off the site at once
    (`services.seller_story_consent_set`)."""

    template_name = "sellers/panel/story.html"

    def post(self, request, *args, **kwargs):
        if not permissions.is_owner(self.membership):
            raise PermissionDenied
        op = request.POST.get("op")
        if op not in ("give", "withdraw"):
            messages.error(request, "درخواست نامعتبر بود؛ دوباره امتحان کنید.")
            return redirect("panel:story", seller_id=self.seller.pk)
        services.seller_story_consent_set(
            seller=self.seller, actor=request.user, consent=op == "give"
        )
        messages.success(
            request,
            "اجازه داده شد؛ داستان شما می‌تواند در سایت دیده شود."
            if op == "give"
            else "اجازه پس گرفته شد؛ داستان شما دیگر در سایت نیست.",
        )
        return redirect("panel:story", seller_id=self.seller.pk)
