"""The forms of a review (web layer): the buyer's rating and text, the booth's
answer, staff's decision."""

from __future__ import annotations

from django import forms

from .services import REPLY_MAX, TEXT_MAX

RATINGS = [(n, "★" * n) for n in range(5, 0, -1)]


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="امتیاز شما",
        choices=RATINGS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "امتیازی از ۱ تا ۵ بدهید.",
            "invalid_choice": "امتیاز باید از ۱ تا ۵ باشد.",
        },
    )
    text = forms.CharField(
        label="نظر شما (اختیاری)",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="شماره تلفن، ایمیل و نشانی اینترنتی منتشر نمی‌شود.",
        error_messages={"max_length": "نظر را کوتاه‌تر بنویسید؛ حداکثر ۲۰۰۰ نویسه."},
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label="پاسخ غرفه",
        max_length=REPLY_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": "متن پاسخ را بنویسید.",
            "max_length": "پاسخ را کوتاه‌تر بنویسید؛ حداکثر ۱۰۰۰ نویسه.",
        },
    )


class ReviewDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("publish", "انتشار"), ("reject", "رد")])
