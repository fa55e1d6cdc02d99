"""The REST API for open data (/api/v1/datasets/): the datasets and their latest files, public."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from opendata.catalogue import metadata_paths, published_datasets
from opendata.models import Snapshot
from opendata.serializers import DatasetCatalogueSerializer


class DatasetList(APIView):
    """Every open dataset with the files of the latest complete build, and the catalogue metadata."""

    permission_classes = [AllowAny]

    @extend_schema(summary="List the open datasets and their latest files", responses=DatasetCatalogueSerializer)
    def get(self, request: Request) -> Response:
        catalogue = {
            "license": {"id": settings.OPENDATA_LICENSE_ID, "url": settings.OPENDATA_LICENSE_URL},
            "links": metadata_paths(),
            "datasets": published_datasets(Snapshot.objects.latest_succeeded()),
        }
        return Response(DatasetCatalogueSerializer(catalogue, context={"request": request}).data)
