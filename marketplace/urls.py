from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.urls import serve_pattern as wagtail_serve_pattern
from wagtail.views import serve as wagtail_serve

from cms.feeds import bazaar_calendar, bazaar_feed
from cms.site_map import site_map
from sellers.views import booth as booth_views

from .accounts import views as account_views
from .page_cache import anonymous_page_cache
from .sitemaps import SITEMAPS
from .views import healthz, media_serve, metrics, not_found, readyz, robots_txt

urlpatterns = [
    # The home page is Wagtail's; Oscar's own "home" redirect would otherwise loop.
    # Anonymous visitors get it from the page cache (invalidated by catalog and cms
    # receivers); previews and the admin have their own URLs and are never cached.
    re_path(
        r"^$",
        anonymous_page_cache(wagtail_serve),
        {"path": ""},
        name="home_page",
    ),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    # One way in: every login form of the project is ours (mobile number and
    # password, through the one throttle of marketplace.accounts). The login
    # pages of Oscar's dashboard, Django's admin, Wagtail's admin and Wagtail's
    # front-end lead to it, keeping `next`.
    *[
        path(
            prefix,
            RedirectView.as_view(pattern_name="accounts:login", query_string=True),
        )
        for prefix in (
            "django-admin/login/",
            "cms-admin/login/",
            "dashboard/login/",
            "_util/login/",
            "accounts/login/",
        )
    ],
    # Wagtail's logout answered a GET with 405 but deleted the session cookie
    # (a link or an image could log editors out): ours is POST only, a GET
    # shows the button. Wagtail's menu posts here.
    path("cms-admin/logout/", account_views.logout_view),
    path("django-admin/", admin.site.urls),
    path("cms-admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("booth/", include("sellers.urls")),
    # A bazaar poster's QR code: short, counted, then on to her booth.
    path("b/<int:stall_id>/", booth_views.bazaar_qr_view, name="bazaar_qr"),
    path("staff/bazaars/", include("sellers.bazaar_staff_urls")),
    path("staff/sellers/", include("sellers.staff_urls")),
    path("staff/moderation/", include("catalog.moderation.urls")),
    path("staff/orders/", include("orders.staff_urls")),
    path("panel/", include("sellers.panel.product_urls")),
    path("panel/", include("sellers.panel.urls")),
    path("panel/", include("orders.panel_urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    # The site map for people (the footer's link); sitemap.xml is the crawlers'.
    path("site-map/", site_map, name="site_map"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("feeds/bazaars.atom", bazaar_feed, name="bazaar_feed"),
    path("feeds/bazaars.ics", bazaar_calendar, name="bazaar_calendar"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/", include("marketplace.accounts.urls")),
    path("orders/", include("orders.urls")),
    path("stripe/", include("orders.stripe_urls")),
    # Oscar's account pages for orders and addresses are replaced by ours.
    re_path(
        r"^accounts/orders/",
        RedirectView.as_view(pattern_name="orders:history", permanent=False),
    ),
    re_path(
        r"^accounts/addresses/",
        RedirectView.as_view(pattern_name="orders:addresses", permanent=False),
    ),
    # Oscar's registration, profile pages and e-mail password reset are replaced
    # by ours: accounts are by mobile number, recovery is a one-time code, and
    # logging out is POST only.
    path(
        "accounts/register/",
        RedirectView.as_view(pattern_name="accounts:signup", query_string=True),
    ),
    path("accounts/logout/", account_views.logout_view),
    *[
        path(prefix, RedirectView.as_view(pattern_name="accounts:account"))
        for prefix in (
            "accounts/",
            "accounts/profile/",
            "accounts/profile/edit/",
            "accounts/profile/delete/",
            "accounts/change-password/",
        )
    ],
    # Reviews are off (OSCAR_HIDDEN_FEATURES); so is their dashboard page.
    re_path(r"^dashboard/reviews/", not_found),
    # Product alerts are off (OSCAR_EAGER_ALERTS); so are their pages.
    re_path(r"^accounts/alerts/", not_found),
    # Oscar's anonymous order status (an e-mail form, then the order and her
    # address for a hash): guests follow their order at /orders/t/<token>/.
    re_path(r"^accounts/order-status", not_found),
    re_path(r"^dashboard/users/alerts/", not_found),
    re_path(
        r"^password-reset/",
        RedirectView.as_view(pattern_name="accounts:otp_request"),
    ),
    # Staff cannot send anyone an e-mail reset either (Oscar's dashboard button);
    # Wagtail's reset is off by WAGTAIL_PASSWORD_RESET_ENABLED.
    re_path(r"^dashboard/users/\d+/password-reset/", not_found),
    # Oscar: catalogue, basket, checkout, accounts, dashboard.
    path("", include(apps.get_app_config("oscar").urls[0])),
]

if settings.DEBUG or settings.SERVE_MEDIA:
    urlpatterns += [
        path("media/<path:path>", media_serve),
    ]

# Wagtail's catch-all must stay last. Its pages are served through the anonymous
# page cache (invalidated by cms.receivers on publish, unpublish, a change of
# consent or of a bazaar); Wagtail's own URLs (password forms) follow it.
urlpatterns += [
    re_path(
        wagtail_serve_pattern,
        anonymous_page_cache(wagtail_serve),
        name="wagtail_serve",
    ),
    path("", include(wagtail_urls)),
]
