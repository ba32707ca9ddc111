"""The application wizard: a few fields per screen, usable on a cheap phone."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from formtools.wizard.views import SessionWizardView

from marketplace.forms import error_text
from marketplace.storage import wizard_upload_storage

from .. import services
from ..models import Seller
from .forms import WIZARD_FORMS, WIZARD_TITLES


class ApplyWizardView(LoginRequiredMixin, SessionWizardView):
    form_list = WIZARD_FORMS
    template_name = "sellers/panel/apply.html"

    @property
    def file_storage(self):
        # An uploaded logo waits here between steps: private (no URL), under a
        # random name, deleted when the wizard ends (formtools) or swept when it
        # is abandoned (sellers.tasks). seller_apply saves the clean logo.
        return wizard_upload_storage()

    def post(self, *args, **kwargs):
        # formtools trusts the posted step name and fails (KeyError, a 500) on
        # one it does not know: an old tab or a hand-made request. Stay on the
        # step she is on, and say so.
        step = self.request.POST.get(f"{self.prefix}-current_step")
        if step is not None and step not in self.get_form_list():
            messages.error(
                self.request, "این صفحه کهنه بود؛ درخواست را از همین مرحله ادامه دهید."
            )
            return self.render(self.get_form())
        return super().post(*args, **kwargs)

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        context["step_title"] = WIZARD_TITLES[self.steps.current]
        context["step_number"] = self.steps.step1
        context["step_count"] = self.steps.count
        return context

    def done(self, form_list, form_dict, **kwargs):
        data = {}
        for form in form_list:
            data.update(form.cleaned_data)
        application = services.Application(
            kind=data["kind"],
            brand_name=data["brand_name"],
            trade=data["trade"],
            province=data["province"],
            city=data["city"],
            district=data.get("district"),
            centre=data.get("centre"),
            programme=data["programme"],
            neighbourhood=data.get("neighbourhood", ""),
            show_location=data.get("show_location", False),
            story=data.get("story", ""),
            story_consent=data.get("story_consent", False),
        )
        try:
            seller = services.seller_apply(
                user=self.request.user, application=application, logo=data.get("logo")
            )
        except ValidationError as error:
            messages.error(self.request, error_text(error))
            return redirect("panel:index")
        messages.success(
            self.request,
            "درخواست شما ثبت شد. کارشناسان به‌زودی آن را بررسی می‌کنند و نتیجه را پیامک می‌کنیم.",
        )
        if seller.kind == Seller.Kind.GROUP:
            return redirect("panel:members", seller_id=seller.pk)
        return redirect("panel:home", seller_id=seller.pk)
