"""The static files storage of production: WhiteNoise's compressed manifest storage, tolerant
of source maps that a front-end package names but does not ship.

XStatic-Leaflet-MarkerCluster's ``leaflet.markercluster.js`` ends with
``//# sourceMappingURL=leaflet.markercluster.js.map`` and the package has no such file;
Django's manifest storage then stops ``collectstatic`` with ``MissingFileError``. A missing
source map only matters to a developer's debugger, so its reference is dropped from the
collected copy; every other missing reference (an image named by a stylesheet, an imported
module) still fails the build.
"""

from __future__ import annotations

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
