"""The seller's own panel (mounted at /panel/). Every URL names the seller; a
user who is not its member gets 404 (sellers.permissions.membership_for)."""

from django.urls import path

from . import apply, bazaars, delegation
from . import views as panel

app_name = "panel"

urlpatterns = [
    path("", panel.PanelIndexView.as_view(), name="index"),
    path("apply/", apply.ApplyWizardView.as_view(), name="apply"),
    path(
        "invitations/<int:invitation_id>/accept/",
        panel.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
    path("<int:seller_id>/", panel.PanelHomeView.as_view(), name="home"),
    path("<int:seller_id>/resubmit/", panel.ResubmitView.as_view(), name="resubmit"),
    path("<int:seller_id>/members/", panel.MembersView.as_view(), name="members"),
    path("<int:seller_id>/payout/", panel.PayoutView.as_view(), name="payout"),
    path("<int:seller_id>/holiday/", panel.HolidayView.as_view(), name="holiday"),
    path("<int:seller_id>/bazaars/", bazaars.BazaarListView.as_view(), name="bazaars"),
    path(
        "<int:seller_id>/bazaars/<int:stall_id>/",
        bazaars.StallView.as_view(),
        name="bazaar_stall",
    ),
    path(
        "<int:seller_id>/bazaars/<int:stall_id>/poster/",
        bazaars.PosterView.as_view(),
        name="bazaar_poster",
    ),
    path(
        "<int:seller_id>/delegation/",
        delegation.DelegationView.as_view(),
        name="delegation",
    ),
    path("<int:seller_id>/story/", panel.StoryConsentView.as_view(), name="story"),
    path(
        "<int:seller_id>/notifications/",
        panel.NotificationsView.as_view(),
        name="notifications",
    ),
]
