"""The static files of front-end packages: single files picked from a package, and the storage of
production, WhiteNoise's compressed manifest storage, tolerant of source maps that a
front-end package names but does not ship.

``PackageFileFinder`` serves only the files named in ``STATICFILES_PACKAGE_FILES`` (URL path:
file in an installed package), for a package of which the site needs one file and whose
other files would not collect: XStatic-jQuery-UI's theme stylesheets name images by
URL-encoded paths that the manifest storage cannot follow, and the admin's language tabs
need only its script.

XStatic-Leaflet-MarkerCluster's ``leaflet.markercluster.js`` ends with
``//# sourceMappingURL=leaflet.markercluster.js.map`` and the package has no such file;
Django's manifest storage then stops ``collectstatic`` with ``MissingFileError``. A missing
source map only matters to a developer's debugger, so its reference is dropped from the
collected copy; every other missing reference (an image named by a stylesheet, an imported
module) still fails the build.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage

SOURCE_MAP_MARKER = "sourceMappingURL"


class ManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def url_converter(self, name, hashed_files, template=None):
        convert = super().url_converter(name, hashed_files, template)

        def converter(matchobj):
            try:
                return convert(matchobj)
            except ValueError:
                if SOURCE_MAP_MARKER in matchobj.group("matched"):
                    return ""
                raise

        return converter


class PackageFileFinder(BaseFinder):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.files: dict[str, tuple[str, FileSystemStorage]] = {}
        for name, source in getattr(settings, "STATICFILES_PACKAGE_FILES", {}).items():
            prefix, _, filename = name.rpartition("/")
            storage = FileSystemStorage(location=str(Path(source).parent))
            storage.prefix = prefix  # collectstatic puts the file under this folder
            self.files[name] = (filename, storage)

    def check(self, **kwargs) -> list:
        return []

    def find(self, path: str, find_all: bool = False, **kwargs):
        if path in self.files:
            filename, storage = self.files[path]
            found = storage.path(filename)
            return [found] if find_all else found
        return [] if find_all else None

    def list(self, ignore_patterns):
        yield from self.files.values()
