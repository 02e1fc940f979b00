"""URLs of the finance app: each view module lists its own patterns."""

app_name = "finance"
urlpatterns = []
