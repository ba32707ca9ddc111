"""The forms of a conversation (web layer, shared by the buyer's pages and the
panel): a message (text and one photo), a guest's mobile and her code, a
report."""

from __future__ import annotations

from django import forms

from marketplace.accounts.fields import CodeField, PhoneField
from marketplace.images import IMAGE_ACCEPT, ImageRejected, image_check_upload

from .services import REPORT_MAX, TEXT_MAX


class MessageForm(forms.Form):
    text = forms.CharField(
        label="پیام شما",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="شماره تلفن، ایمیل و نشانی اینترنتی در پیام پنهان می‌شود.",
        error_messages={"max_length": "پیام را کوتاه‌تر بنویسید؛ حداکثر ۲۰۰۰ نویسه."},
    )
    photo = forms.FileField(
        label="یک عکس (اختیاری)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
    )

    def clean_photo(self):
        """The image pipeline's checks, with its Persian message; the pixels
        are cleaned (no EXIF) when the media storage saves it."""
        photo = self.cleaned_data.get("photo")
        if photo:
            try:
                image_check_upload(photo)
            except ImageRejected as exc:
                raise forms.ValidationError(exc.message, code=exc.code) from exc
        return photo


class GuestAskForm(MessageForm):
    """A guest's question: her mobile (a code proves it) and her text."""

    phone = PhoneField(help_text="کد تأیید به این شماره پیامک می‌شود.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["photo"]  # one step at a time: the photo after the code
        self.fields["text"].required = True
        self.fields["text"].error_messages["required"] = "پرسش خود را بنویسید."


class AskCodeForm(forms.Form):
    code = CodeField()


REPORT_TOO_LONG = "گزارش را کوتاه‌تر بنویسید؛ حداکثر ۳۰۰ نویسه. چیزی فرستاده نشد."


class ReportForm(forms.Form):
    reason = forms.CharField(
        label="چه مشکلی هست؟",
        max_length=REPORT_MAX,
        required=False,
        widget=forms.TextInput(),
    )
