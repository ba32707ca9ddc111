"""Public booth pages (mounted at /booth/)."""

from django.urls import path

from .views import booth

app_name = "sellers"

urlpatterns = [
    path("<str:slug>/", booth.BoothView.as_view(), name="booth"),
]
