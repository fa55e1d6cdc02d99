"""Deployment checks of our own: Django's ``check --deploy`` runs them, ``/healthz`` reports them.

With ``DEBUG`` off, every page names its stylesheets and scripts through the manifest that
``collectstatic`` writes; without it each page answers 500. The check says so at deployment
time instead. It is a deployment check (``check --deploy``) rather than one that runs before
every command, so that ``collectstatic`` itself, ``migrate`` and the workers (which never serve
a page) still start on a host whose static files are not collected.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.checks import Error, Tags, register

# A file every page links: when the manifest lacks it, the manifest is from another release.
PROBE = "css/site.css"


def static_manifest_problem() -> str:
    """Why pages would fail to name their static files, or "" when they will not."""
    if settings.DEBUG or not isinstance(staticfiles_storage, ManifestFilesMixin):
        return ""
    if not staticfiles_storage.exists(staticfiles_storage.manifest_name):
        return f"the static files manifest is missing from STATIC_ROOT ({settings.STATIC_ROOT})"
    try:
        paths, _hash = staticfiles_storage.load_manifest()
    except ValueError:
        return f"the static files manifest in STATIC_ROOT ({settings.STATIC_ROOT}) cannot be read"
    if PROBE not in paths:
        return f"the static files manifest in STATIC_ROOT ({settings.STATIC_ROOT}) does not list {PROBE}"
    return ""


@register(Tags.staticfiles, deploy=True)
def check_static_files_collected(app_configs, **kwargs) -> list[Error]:
    problem = static_manifest_problem()
    if not problem:
        return []
    return [
        Error(
            f"Static files are not collected: {problem}. With DEBUG off every page would fail.",
            hint="Run 'python manage.py collectstatic --noinput' with the same STATIC_ROOT as the web processes.",
            id="cocreate.E001",
        )
    ]
