"""Report pages."""

app_name = "services"

urlpatterns: list = []
