"""Reports URLs: each view module lists its own patterns."""

from .views import dashboard, summary

app_name = "reports"
urlpatterns = [*summary.urlpatterns, *dashboard.urlpatterns]
