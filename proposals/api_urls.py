"""REST API routes for proposals (views in proposals/api.py)."""

from django.urls import path

from proposals import api

urlpatterns = [
    path("proposals/", api.ProposalListCreate.as_view(), name="api_proposal_list"),
    path("proposals/<int:proposal_id>/", api.ProposalDetail.as_view(), name="api_proposal_detail"),
    path("proposals/<int:proposal_id>/support/", api.ProposalSupport.as_view(), name="api_proposal_support"),
    path("proposals/<int:proposal_id>/comments/", api.ProposalComments.as_view(), name="api_proposal_comments"),
]
