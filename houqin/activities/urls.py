"""URLs of the activities app: each view module lists its own patterns."""

app_name = "activities"
urlpatterns = []
