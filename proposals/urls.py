"""Proposal pages."""

from django.urls import path

from proposals import views

app_name = "proposals"

urlpatterns = [
    path("", views.proposal_list, name="list"),
    path("new/", views.proposal_create, name="create"),
    path("<int:proposal_id>/", views.proposal_detail, name="detail"),
    path("<int:proposal_id>/edit/", views.proposal_edit, name="edit"),
    path("<int:proposal_id>/withdraw/", views.proposal_withdraw, name="withdraw"),
    path("<int:proposal_id>/support/", views.proposal_support, name="support"),
    path("<int:proposal_id>/unsupport/", views.proposal_unsupport, name="unsupport"),
    path("<int:proposal_id>/follow/", views.proposal_follow, name="follow"),
    path("<int:proposal_id>/comment/", views.proposal_comment, name="comment"),
    path("<int:proposal_id>/comments/<int:comment_id>/edit/", views.proposal_comment_edit, name="comment_edit"),
    path("<int:proposal_id>/comments/<int:comment_id>/delete/", views.proposal_comment_delete, name="comment_delete"),
    path("<int:proposal_id>/answer/", views.proposal_answer, name="answer"),
    path("unfollow/<str:token>/", views.unfollow_by_token, name="unfollow_by_token"),
]
