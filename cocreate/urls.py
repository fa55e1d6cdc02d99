"""The site's URL map."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from citizens import api_tokens
from citizens import views as citizen_views
from cocreate import health, offline, photo_serving, views

# The admin signs in through allauth, so two-factor authentication applies there too.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = settings.SITE_NAME
admin.site.site_title = settings.SITE_NAME

# A database or Redis that is down answers 503 with Retry-After, in the client's format.
handler500 = "cocreate.unavailable.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    path("healthz", health.healthz, name="healthz"),
    path("sw.js", offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.web_manifest, name="web_manifest"),
    path(
        "photos/<slug:kind>/<int:pk>/<slug:signature>/<slug:variant>.<slug:extension>",
        photo_serving.photo,
        name="photo",
    ),
    path("i18n/setlang/", citizen_views.set_language, name="set_language"),
    path("accounts/profile/", citizen_views.profile, name="profile"),
    path("accounts/api-token/", api_tokens.api_token_create, name="api_token_create"),
    path("accounts/api-token/revoke/", api_tokens.api_token_revoke, name="api_token_revoke"),
    path("accounts/my-data/", citizen_views.personal_data_download, name="personal_data_download"),
    path("accounts/delete/", citizen_views.account_delete, name="account_delete"),
    path("accounts/", include("allauth.urls")),
    path("data/", include("opendata.urls")),
    path("proposals/", include("proposals.urls")),
    path("operators/", include("operators.urls")),
    path("mds/", include("operators.mds_urls")),
    path("moderation/", include("moderation.urls")),
    path("operator/", include("operators.workspace_urls")),
    path("api/", include("cocreate.api_urls")),
    path("open311/v2/", include("services.open311_urls")),
    path("", include("services.urls")),
    path("admin/", admin.site.urls),
]

# The REST API and Open311 answer their errors in JSON or XML; pages get the error pages.
handler400 = "cocreate.bad_requests.bad_request"
handler403 = "cocreate.bad_requests.permission_denied"
handler404 = "cocreate.bad_requests.page_not_found"
