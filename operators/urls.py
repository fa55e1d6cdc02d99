"""The public operator pages, under /operators/ (views in operators/views.py)."""

from django.urls import path

from operators import views

app_name = "operators"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.detail, name="detail"),
]
