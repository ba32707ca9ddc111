"""Seller-facing forms: the application wizard, members, payout. Persian messages."""

from __future__ import annotations

from django import forms

from marketplace.forms import PersianDateField
from marketplace.images import IMAGE_ACCEPT, ImageRejected, image_check_upload

from ..fields import ProvinceField
from ..models import (
    Delegation,
    District,
    KowsarCentre,
    Programme,
    Seller,
    SellerMember,
)
from ..selectors import province_tehran

LOGO_MAX_BYTES = 5 * 1024 * 1024


class KindForm(forms.Form):
    kind = forms.ChoiceField(
        label="شما به‌تنهایی کار می‌کنید یا با گروه؟",
        choices=[
            (Seller.Kind.INDIVIDUAL, "به‌تنهایی (کسب‌وکار خانگی)"),
            (Seller.Kind.GROUP, "با گروه همیار (۵ تا ۷ نفر)"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "یکی را انتخاب کنید."},
    )


class BrandForm(forms.Form):
    brand_name = forms.CharField(
        label="نام غرفه",
        max_length=80,
        help_text="نامی که خریداران می‌بینند؛ مثلاً «چرم دست‌دوز نیلوفر»",
        error_messages={"required": "نام غرفه را بنویسید."},
    )
    trade = forms.CharField(
        label="حرفه",
        max_length=80,
        help_text="مثلاً خیاطی، آشپزی، چرم‌دوزی، پرورش قارچ",
        error_messages={"required": "حرفهٔ خود را بنویسید."},
    )

    def clean_brand_name(self):
        name = " ".join(self.cleaned_data["brand_name"].split())
        if len(name) < 3:
            raise forms.ValidationError("نام غرفه دست‌کم سه حرف باشد.")
        return name


class PlaceForm(forms.Form):
    province = ProvinceField(
        label="استان",
        empty_label="انتخاب استان",
        error_messages={
            "required": "استان را انتخاب کنید.",
            "invalid_choice": "استان را از فهرست انتخاب کنید.",
        },
    )
    city = forms.CharField(
        label="شهر",
        max_length=64,
        error_messages={"required": "شهر را بنویسید."},
    )
    district = forms.ModelChoiceField(
        label="منطقهٔ شهرداری (فقط تهران)",
        queryset=District.objects.all(),
        required=False,
        empty_label="انتخاب منطقه",
        error_messages={"invalid_choice": "منطقه را از فهرست انتخاب کنید."},
    )
    centre = forms.ModelChoiceField(
        label="مرکز توانمندسازی کوثر",
        queryset=KowsarCentre.objects.select_related("district"),
        required=False,
        empty_label="هیچ‌کدام / نمی‌دانم",
        error_messages={"invalid_choice": "مرکز را از فهرست انتخاب کنید."},
    )
    programme = forms.ModelChoiceField(
        label="از طریق کدام برنامه آشنا شدید؟",
        queryset=Programme.objects.all(),
        empty_label="انتخاب کنید",
        error_messages={
            "required": "یکی را انتخاب کنید.",
            "invalid_choice": "از فهرست انتخاب کنید.",
        },
        help_text="این اطلاعات فقط برای کارشناسان است و هرگز در سایت نمایش داده نمی‌شود.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].label_from_instance = lambda c: (
            f"{c.name} ({c.district.name})"
        )
        tehran = province_tehran()
        if tehran is not None:
            self.fields["province"].initial = tehran.pk
            self.fields["city"].initial = "تهران"

    def clean(self):
        """The district and Kowsar centre belong to Tehran: required there (the
        district), dropped elsewhere."""
        data = super().clean()
        province = data.get("province")
        if province is not None and not province.is_tehran:
            data["district"] = None
            data["centre"] = None
            return data
        district, centre = data.get("district"), data.get("centre")
        if province is not None and district is None and "district" not in self.errors:
            self.add_error("district", "منطقه را انتخاب کنید.")
        if district and centre and centre.district_id != district.pk:
            self.add_error("centre", "این مرکز در منطقهٔ انتخاب‌شده نیست.")
        return data


class ProfileForm(forms.Form):
    neighbourhood = forms.CharField(
        label="محله (اختیاری)", max_length=80, required=False
    )
    show_location = forms.BooleanField(
        label="محله و منطقه‌ام در غرفه نمایش داده شود", required=False
    )
    logo = forms.FileField(
        label="نشان یا عکس غرفه (اختیاری)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
    )

    def clean_logo(self):
        """The image pipeline's checks (content, size, pixels), with its Persian
        message; the pixels are cleaned when the booth is created."""
        logo = self.cleaned_data.get("logo")
        if logo:
            try:
                image_check_upload(logo)
            except ImageRejected as exc:
                raise forms.ValidationError(exc.message, code=exc.code) from exc
        return logo


class StoryForm(forms.Form):
    story = forms.CharField(
        label="داستان شما (اختیاری)",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=1500,
        required=False,
        help_text="از کارتان بگویید: از کی شروع کردید، چه چیزی را دوست دارید بسازید.",
    )
    story_consent = forms.BooleanField(
        label="اجازه می‌دهم این داستان در صفحهٔ غرفه‌ام منتشر شود", required=False
    )


class InviteForm(forms.Form):
    phone = forms.CharField(
        label="شمارهٔ همراه عضو",
        max_length=24,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={"required": "شمارهٔ همراه را بنویسید."},
    )
    role = forms.ChoiceField(
        label="نقش", choices=SellerMember.Role.choices, initial="member"
    )


class PayoutForm(forms.Form):
    account_holder = forms.CharField(label="نام صاحب حساب", max_length=120)
    sheba = forms.CharField(
        label="شماره شبا",
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
        help_text="IR و ۲۴ رقم",
    )


class HolidayForm(forms.Form):
    until = PersianDateField(
        label="تا چه روزی در تعطیلات هستید؟",
        help_text="آخرین روز تعطیلات، مثلاً ۱۴۰۵/۰۹/۱۵",
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "placeholder": "۱۴۰۵/۰۹/۱۵", "dir": "ltr"}
        ),
    )
    message = forms.CharField(
        label="پیام کوتاه برای خریداران (اختیاری)",
        max_length=200,
        required=False,
    )


WIZARD_FORMS = [
    ("kind", KindForm),
    ("brand", BrandForm),
    ("place", PlaceForm),
    ("profile", ProfileForm),
    ("story", StoryForm),
]
WIZARD_TITLES = {
    "kind": "نوع غرفه",
    "brand": "نام و حرفه",
    "place": "استان، شهر و مرکز",
    "profile": "محله و نشان",
    "story": "داستان شما",
}


class DelegationForm(forms.Form):
    """Her consent to a mentor working for her: who, where, until when."""

    delegate = forms.TypedChoiceField(
        label="چه کسی به جای شما کار کند؟",
        coerce=int,
        error_messages={
            "required": "یک نفر را انتخاب کنید.",
            "invalid_choice": "فقط منتور شما یا کارشناس مرکز شما را می‌توانید "
            "انتخاب کنید.",
        },
    )
    areas = forms.MultipleChoiceField(
        label="در چه بخش‌هایی؟",
        choices=Delegation.Area.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "دست‌کم یک بخش را انتخاب کنید.",
            "invalid_choice": "بخش انتخاب‌شده معتبر نیست.",
        },
    )
    ends_on = PersianDateField(
        label="تا چه روزی؟",
        help_text="آخرین روز، حداکثر ۹۰ روز بعد؛ مثلاً ۱۴۰۵/۰۹/۱۵",
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "placeholder": "۱۴۰۵/۰۹/۱۵", "dir": "ltr"}
        ),
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {user.pk: user for user in candidates}
        self.fields["delegate"].choices = [
            (user.pk, user.get_full_name() or "کارشناس") for user in candidates
        ]
