"""Staff pages for bazaars (mounted at /staff/bazaars/): the list, a bazaar's
dates and place, its stalls (assign an approved booth to a numbered stall, take
one out), a stall's stock and sales (staff may record a sale for her), and the
printable poster of each stall.

Access: `permissions.can_run_bazaars` (`sellers.change_bazaar`), checked once in
`BazaarStaffView` (the `StaffPage` base: login, else 403; never cached). The
services check it again. Views parse a form, call one service, show a Persian
message and redirect.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from marketplace.forms import PersianDateField, add_service_errors
from marketplace.staff import StaffPage
from orders import stalls as stall_ops
from orders.stall_forms import stall_form_submit

from .. import permissions, selectors, services
from ..models import Bazaar, BazaarStall, District, Seller


class BazaarForm(forms.Form):
    name = forms.CharField(
        label="نام بازارچه",
        max_length=200,
        help_text="به نام کار و دستاورد زنان، مثل «بازارچه دستاوردهای زنان شهر تهران».",
    )
    starts_on = PersianDateField(label="روز آغاز (مثلاً ۱۴۰۵/۰۹/۱۰)")
    ends_on = PersianDateField(label="روز پایان")
    opening_hours = forms.CharField(
        label="ساعت‌های بازگشایی", max_length=100, required=False
    )
    place = forms.CharField(label="مکان", max_length=255)
    district = forms.ModelChoiceField(
        label="منطقه", queryset=District.objects.order_by("number"), required=False
    )
    map_url = forms.URLField(label="پیوند نقشه", required=False, assume_scheme="https")


class StallAssignForm(forms.Form):
    seller = forms.ModelChoiceField(
        label="غرفه",
        queryset=Seller.objects.filter(status=Seller.Status.APPROVED).order_by(
            "brand_name"
        ),
    )
    stall_number = forms.CharField(label="شمارهٔ جایگاه", max_length=12)


class StallRemoveForm(forms.Form):
    """Which stall of this bazaar to take away (a hand-made id is refused, not a
    500)."""

    stall = forms.ModelChoiceField(
        queryset=BazaarStall.objects.none(),
        error_messages={"invalid_choice": "این غرفه در این بازارچه نیست."},
    )

    def __init__(self, *args, bazaar: Bazaar, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stall"].queryset = BazaarStall.objects.filter(bazaar=bazaar)


class BazaarStaffView(StaffPage):
    permission_check: Callable[[Any], bool] = staticmethod(permissions.can_run_bazaars)

    def get_bazaar(self) -> Bazaar:
        return get_object_or_404(
            Bazaar.objects.select_related("district"), pk=self.kwargs["bazaar_id"]
        )

    def get_stall(self) -> BazaarStall:
        """The stall the URL names, within the bazaar it names, with its totals."""
        return get_object_or_404(
            stall_ops.stall_page_queryset(),
            pk=self.kwargs["stall_id"],
            bazaar_id=self.kwargs["bazaar_id"],
        )


class BazaarListView(BazaarStaffView):
    """Every bazaar, newest first, with its phase, stalls and poster visits
    (one query, `selectors.bazaar_list_staff`)."""

    def get(self, request, *args, **kwargs):
        bazaars = list(selectors.bazaar_list_staff()[:200])
        return render(request, "sellers/bazaars/list.html", {"bazaars": bazaars})


class BazaarEditView(BazaarStaffView):
    """Create a bazaar (no `bazaar_id`) or change one."""

    def get(self, request, *args, **kwargs):
        bazaar = self.get_bazaar() if "bazaar_id" in kwargs else None
        initial = {}
        if bazaar is not None:
            initial = {
                "name": bazaar.name,
                "starts_on": bazaar.starts_on,
                "ends_on": bazaar.ends_on,
                "opening_hours": bazaar.opening_hours,
                "place": bazaar.place,
                "district": bazaar.district_id,
                "map_url": bazaar.map_url,
            }
        return self.show(request, bazaar, BazaarForm(initial=initial))

    def post(self, request, *args, **kwargs):
        bazaar = self.get_bazaar() if "bazaar_id" in kwargs else None
        form = BazaarForm(request.POST)
        if form.is_valid():
            try:
                bazaar = services.bazaar_save(
                    actor=request.user, bazaar=bazaar, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "بازارچه ذخیره شد.")
                return HttpResponseRedirect(
                    reverse("bazaars_staff:detail", args=[bazaar.pk])
                )
        return self.show(request, bazaar, form)

    def show(self, request, bazaar, form):
        return render(
            request, "sellers/bazaars/edit.html", {"bazaar": bazaar, "form": form}
        )


class BazaarDetailView(BazaarStaffView):
    """A bazaar's stalls (booth, number, visits through the poster, units held)
    and the form that gives an approved booth a stall."""

    def get(self, request, *args, **kwargs):
        return self.show(request, self.get_bazaar(), StallAssignForm())

    def post(self, request, *args, **kwargs):
        bazaar = self.get_bazaar()
        if request.POST.get("op") == "remove":
            remove = StallRemoveForm(request.POST, bazaar=bazaar)
            try:
                if not remove.is_valid():
                    raise ValidationError(remove.errors["stall"])
                services.bazaar_stall_remove(
                    stall=remove.cleaned_data["stall"], actor=request.user
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, "غرفه از بازارچه برداشته شد.")
            return HttpResponseRedirect(request.path)
        form = StallAssignForm(request.POST)
        if form.is_valid():
            try:
                services.bazaar_stall_assign(
                    bazaar=bazaar, actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "جایگاه غرفه ثبت شد.")
                return HttpResponseRedirect(request.path)
        return self.show(request, bazaar, form)

    def show(self, request, bazaar, form):
        return render(
            request,
            "sellers/bazaars/detail.html",
            {
                "bazaar": bazaar,
                "phase": bazaar.phase(),
                "stalls": list(selectors.bazaar_stalls_staff(bazaar)),
                "form": form,
            },
        )


class StallView(BazaarStaffView):
    """One stall: what she set aside, her sales at the stall, and the forms to
    record a sale or change a set-aside on her behalf."""

    def get(self, request, *args, **kwargs):
        return self.show(request, self.get_stall())

    def post(self, request, *args, **kwargs):
        stall = self.get_stall()
        done, sale_form, aside_form = stall_form_submit(
            request.POST, stall=stall, actor=request.user
        )
        if done:
            messages.success(request, done)
            return HttpResponseRedirect(request.path)
        return self.show(request, stall, sale_form=sale_form, aside_form=aside_form)

    def show(self, request, stall, sale_form=None, aside_form=None):
        context = stall_ops.stall_page(
            stall, sale_form=sale_form, aside_form=aside_form
        )
        return render(request, "sellers/bazaars/stall.html", context)


class PosterView(BazaarStaffView):
    """The stall's A4 poster, to print."""

    def get(self, request, *args, **kwargs):
        stall = self.get_stall()
        qr_url = request.build_absolute_uri(reverse("bazaar_qr", args=[stall.pk]))
        return render(
            request,
            "sellers/bazaars/poster.html",
            services.stall_poster(stall=stall, qr_url=qr_url),
        )
