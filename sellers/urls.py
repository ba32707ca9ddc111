from django.urls import path

from . import views

app_name = "sellers"

urlpatterns = [
    path("<str:slug>/", views.BoothView.as_view(), name="booth"),
]
