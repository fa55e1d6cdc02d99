from django.urls import path

from opendata import downloads, views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("build/", views.build, name="build"),
    path("build/progress/", views.progress, name="progress"),
    path("datapackage.json", downloads.datapackage, name="datapackage"),
    path("catalog.jsonld", downloads.catalog_jsonld, name="catalog_jsonld"),
    path("catalog.ttl", downloads.catalog_ttl, name="catalog_ttl"),
    path("latest/<str:filename>", downloads.latest, name="latest"),
    path("snapshots/<int:pk>/", downloads.snapshot, name="snapshot"),
    path("snapshots/<int:pk>/<str:filename>", downloads.snapshot_file, name="snapshot_file"),
]
