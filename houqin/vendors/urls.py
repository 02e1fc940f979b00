"""URLs of the vendors app: each view module lists its own patterns."""

app_name = "vendors"
urlpatterns = []
