"""Mounted at /account/ under the `accounts` namespace (marketplace/urls.py)."""

from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/code/", views.otp_request_view, name="otp_request"),
    path("code/", views.otp_verify_view, name="otp_verify"),
    path("code/resend/", views.otp_resend_view, name="otp_resend"),
    path("signup/", views.signup_view, name="signup"),
    path("signup/details/", views.signup_details_view, name="signup_details"),
    path("logout/", views.logout_view, name="logout"),
    path("", views.account_view, name="account"),
    path("staff/second-factor/", views.staff_otp_view, name="staff_otp"),
    path(
        "staff/second-factor/link/<str:token>/",
        views.staff_enrol_link_view,
        name="staff_enrol_link",
    ),
]
