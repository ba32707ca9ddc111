import oscar.apps.checkout.apps as apps
from django.urls import path, re_path
from django.views.generic import RedirectView


class CheckoutConfig(apps.CheckoutConfig):
    """Fork of Oscar's checkout (label `checkout`): our own few Persian steps
    (who, code, address, choices, review, place) in `orders.checkout.views`,
    in place of Oscar's English multi-page flow with its country list. Oscar's
    URL names that other code reverses lead to the matching step."""

    name = "orders.checkout"

    def ready(self):
        from . import card_views, views

        self.views = views
        self.card_views = card_views

    def get_urls(self):
        v = self.views
        urls = [
            path("", v.who_view, name="index"),
            path("code/", v.code_view, name="code"),
            path("address/", v.address_view, name="shipping-address"),
            path("choices/", v.choices_view, name="payment-method"),
            path("review/", v.review_view, name="preview"),
            path("place/", v.place_view, name="place"),
            path("thank-you/", v.thank_you_view, name="thank-you"),
            # Card payment (Stripe) for the parts paid by card.
            path("card/", self.card_views.card_view, name="card"),
            path("card/return/", self.card_views.card_return_view, name="card-return"),
            path("card/switch/", self.card_views.card_switch_view, name="card-switch"),
            path(
                "card/pay/<str:token>/",
                self.card_views.card_resume_view,
                name="card-resume",
            ),
            # Oscar's other step names, for anything that still reverses them.
            path(
                "shipping-method/",
                RedirectView.as_view(pattern_name="checkout:payment-method"),
                name="shipping-method",
            ),
            path(
                "payment-details/",
                RedirectView.as_view(pattern_name="checkout:preview"),
                name="payment-details",
            ),
            re_path(r"^.+$", RedirectView.as_view(pattern_name="checkout:index")),
        ]
        return self.post_process_urls(urls)

    def get_url_decorator(self, pattern):
        return None
