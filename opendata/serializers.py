"""What the REST API says about the open datasets: output only, the datasets are read, never written."""

from __future__ import annotations

from rest_framework import serializers


class AbsoluteUrlField(serializers.CharField):
    """A site path given as an absolute URL for the request's host."""

    def to_representation(self, value: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(value) if request is not None else value


class DatasetFileSerializer(serializers.Serializer):
    format = serializers.CharField(help_text="csv, json or geojson.")
    url = AbsoluteUrlField(source="path", help_text="Always the latest file of this dataset in this format.")
    media_type = serializers.CharField()
    rows = serializers.IntegerField()
    bytes = serializers.IntegerField()
    sha256 = serializers.CharField(help_text="SHA-256 of the file, in hexadecimal.")


class DatasetSerializer(serializers.Serializer):
    name = serializers.CharField(source="dataset.name")
    title = serializers.CharField(source="dataset.title")
    description = serializers.CharField(source="dataset.description")
    formats = DatasetFileSerializer(source="files", many=True, help_text="Empty until the first build.")
    updated = serializers.DateTimeField(allow_null=True, help_text="When the latest files were built.")


class LicenseSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="SPDX identifier.")
    url = serializers.URLField()


class CatalogueLinksSerializer(serializers.Serializer):
    datapackage = AbsoluteUrlField(help_text="Frictionless Data Package of the latest files.")
    catalog_jsonld = AbsoluteUrlField(help_text="DCAT catalogue as JSON-LD.")
    catalog_ttl = AbsoluteUrlField(help_text="DCAT catalogue as Turtle.")


class DatasetCatalogueSerializer(serializers.Serializer):
    license = LicenseSerializer()
    links = CatalogueLinksSerializer()
    datasets = DatasetSerializer(many=True)
