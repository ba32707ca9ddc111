"""Programme staff pages (mounted at /staff/sellers/)."""

from django.urls import path

from .views import staff

app_name = "sellers_staff"

urlpatterns = [
    path("", staff.ApprovalQueueView.as_view(), name="queue"),
    path("delegations/", staff.DelegationsView.as_view(), name="delegations"),
    path(
        "delegations/mentor/<int:user_id>/",
        staff.MentorActionsView.as_view(),
        name="mentor_actions",
    ),
    path("<int:seller_id>/", staff.SellerFileView.as_view(), name="file"),
    path(
        "<int:seller_id>/action/<str:action>/",
        staff.SellerActionView.as_view(),
        name="action",
    ),
    path("<int:seller_id>/checklist/", staff.ChecklistView.as_view(), name="checklist"),
    path("<int:seller_id>/mentoring/", staff.MentoringView.as_view(), name="mentoring"),
    path("<int:seller_id>/case-file/", staff.CaseFileView.as_view(), name="case_file"),
]
