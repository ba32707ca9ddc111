"""Forms of the programme staff pages (approval queue, seller file, mentoring,
case file). They only parse and validate input; the rules live in
`sellers.services`, which checks everything again before it writes."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from marketplace.forms import DISTRICT_CHOICES, PersianDateField
from marketplace.persian import to_persian_digits

from . import selectors
from .models import KowsarCentre, Programme, Requirement, Seller
from .workflow import OPEN_STATUSES

# --- Approval queue ----------------------------------------------------------------

STATUS_OPEN = ""
STATUS_ALL = "all"
STATUS_CHOICES = [
    (STATUS_OPEN, "در انتظار (ثبت‌نام، در حال بررسی، نیاز به اصلاح)"),
    (STATUS_ALL, "همه وضعیت‌ها"),
    *Seller.Status.choices,
]
WAITING_CHOICES = [("", "هر مدت")] + [
    (str(days), f"بیش از {to_persian_digits(days)} روز") for days in (7, 14, 30)
]


class CentreChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: KowsarCentre) -> str:
        return f"{obj.name} (منطقه {to_persian_digits(obj.district.number)})"


class QueueFilterForm(forms.Form):
    """The GET filters of the approval queue. An invalid value never breaks the
    page: the view shows a message and ignores that filter."""

    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False, label="وضعیت")
    district = forms.TypedChoiceField(
        choices=DISTRICT_CHOICES,
        required=False,
        coerce=int,
        empty_value=None,
        label="منطقه",
    )
    centre = CentreChoiceField(
        queryset=KowsarCentre.objects.select_related("district"),
        required=False,
        empty_label="همه مراکز",
        label="مرکز کوثر",
    )
    programme = forms.ModelChoiceField(
        queryset=Programme.objects.all(),
        required=False,
        empty_label="همه برنامه‌ها",
        label="برنامه",
    )
    waiting = forms.TypedChoiceField(
        choices=WAITING_CHOICES,
        required=False,
        coerce=int,
        empty_value=None,
        label="مدت انتظار",
    )

    error_messages = {
        "invalid_choice": "مقدار انتخاب‌شده معتبر نیست.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = self.error_messages[
                "invalid_choice"
            ]

    def to_filters(self) -> dict:
        """Keyword arguments for `selectors.seller_queue` from the valid fields;
        a field with an invalid value is left out (its default applies)."""
        data = self.cleaned_data if self.is_bound else {}
        valid = {
            name: data.get(name) for name in self.fields if name not in self.errors
        }
        status = valid.get("status") or STATUS_OPEN
        if status == STATUS_ALL:
            statuses = None
        elif status == STATUS_OPEN:
            statuses = OPEN_STATUSES
        else:
            statuses = (status,)
        centre = valid.get("centre")
        programme = valid.get("programme")
        return {
            "statuses": statuses,
            "district_number": valid.get("district"),
            "centre_id": centre.pk if centre else None,
            "programme_id": programme.pk if programme else None,
            "waiting_more_than_days": valid.get("waiting"),
        }


# --- Seller file: actions and checklist ----------------------------------------------

REASON_REQUIRED = "لطفاً دلیل را بنویسید؛ برای فروشنده فرستاده می‌شود."


class ReasonForm(forms.Form):
    """The reason a reviewer gives for rejecting, asking for changes or suspending.
    It is sent to the seller as written."""

    reason = forms.CharField(
        label="دلیل (برای فروشنده فرستاده می‌شود)",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": REASON_REQUIRED,
            "max_length": "دلیل حداکثر ۲۰۰۰ نویسه است.",
        },
    )


class ChecklistForm(forms.Form):
    """Tick (done=1) or untick (done=0) one checklist item for one seller."""

    requirement = forms.ModelChoiceField(
        queryset=Requirement.objects.filter(is_active=True),
        error_messages={
            "required": "مورد چک‌لیست مشخص نیست.",
            "invalid_choice": "این مورد در چک‌لیست فعال نیست.",
        },
    )
    done = forms.TypedChoiceField(
        choices=[("1", "انجام شد"), ("0", "انجام نشده")],
        coerce=lambda value: value == "1",
        error_messages={"required": "وضعیت مورد مشخص نیست."},
    )
    note = forms.CharField(
        required=False,
        max_length=255,
        label="یادداشت",
        error_messages={"max_length": "یادداشت حداکثر ۲۵۵ نویسه است."},
    )

    def __init__(self, *args, seller: Seller, **kwargs):
        self.seller = seller
        super().__init__(*args, **kwargs)

    def clean_requirement(self):
        requirement = self.cleaned_data["requirement"]
        if not requirement.applies_to_seller(self.seller):
            raise forms.ValidationError("این مورد برای این نوع غرفه نیست.")
        return requirement


# --- Mentoring -----------------------------------------------------------------------

RETURN_TO_CHOICES = [("file", "پرونده"), ("mentoring", "همراهی")]


class MentorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class MentoringStageForm(forms.Form):
    """The mentoring stage and the assigned mentor (a staff user)."""

    stage = forms.ChoiceField(
        choices=Seller.MentoringStage.choices,
        label="مرحلهٔ همراهی",
        error_messages={"invalid_choice": "مرحلهٔ همراهی نامعتبر است."},
    )
    mentor = MentorChoiceField(
        queryset=None,
        required=False,
        empty_label="— بدون تغییر —",
        label="منتور",
        error_messages={"invalid_choice": "منتور باید از کارشناسان باشد."},
    )
    return_to = forms.ChoiceField(
        choices=RETURN_TO_CHOICES, required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = selectors.mentor_candidates()


class MentoringSessionForm(forms.Form):
    """One mentoring session: when, about what, what was said, what comes next."""

    held_on = PersianDateField(
        label="تاریخ جلسه",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "invalid": "تاریخ را از تقویم انتخاب کنید یا به شکل ۱۴۰۳/۰۵/۱۲ بنویسید.",
            "required": "تاریخ جلسه را وارد کنید.",
        },
    )
    topic = forms.CharField(
        label="موضوع",
        max_length=160,
        error_messages={
            "required": "موضوع جلسه را بنویسید.",
            "max_length": "موضوع حداکثر ۱۶۰ نویسه است.",
        },
    )
    notes = forms.CharField(
        label="یادداشت", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_step = forms.CharField(
        label="گام بعدی",
        required=False,
        max_length=255,
        error_messages={"max_length": "گام بعدی حداکثر ۲۵۵ نویسه است."},
    )
    return_to = forms.ChoiceField(
        choices=RETURN_TO_CHOICES, required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError("تاریخ جلسه نمی‌تواند در آینده باشد.")
        return held_on


# --- Case file -----------------------------------------------------------------------


class CaseFileForm(forms.Form):
    """Edits a case file through `services.casefile_update` (staff with
    `sellers.change_casefile` only)."""

    head_of_household = forms.BooleanField(required=False, label="سرپرست خانوار")
    welfare_case_number = forms.CharField(
        required=False, max_length=64, label="شماره پرونده (بهزیستی / شهرداری)"
    )
    insurance = forms.CharField(required=False, max_length=128, label="بیمه")
    referral_source = forms.CharField(required=False, max_length=128, label="ارجاع از")
    notes = forms.CharField(
        required=False, label="یادداشت‌ها", widget=forms.Textarea(attrs={"rows": 5})
    )
