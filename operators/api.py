"""The REST API for mobility operators (/api/v1/operators/): public and read-only, each operator's
permit and figures in the same eight queries whatever the number of operators."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from operators import performance
from operators.models import Operator
from operators.serializers import OperatorSerializer


class OperatorList(APIView):
    """Every operator listed to the public (an ended permit stays listed while vehicles or open
    reports remain), by name. Not paginated: a city has a handful of operators."""

    permission_classes = [AllowAny]

    @extend_schema(
        summary="List the mobility operators with their permits and figures", responses=OperatorSerializer(many=True)
    )
    def get(self, request: Request) -> Response:
        cards = performance.scorecards()
        return Response(OperatorSerializer(cards, many=True, context={"request": request}).data)


class OperatorDetail(APIView):
    """One operator, whether or not it is still listed."""

    permission_classes = [AllowAny]

    @extend_schema(summary="One mobility operator with its permit and figures", responses=OperatorSerializer)
    def get(self, request: Request, slug: str) -> Response:
        operator = Operator.objects.prefetch_related("vehicle_types").filter(slug=slug).first()
        if operator is None:
            raise NotFound
        return Response(OperatorSerializer(performance.scorecard(operator), context={"request": request}).data)
