"""URLs of the activities app: each view module lists its own patterns."""

from .views import activities, surveys

app_name = "activities"
urlpatterns = activities.urlpatterns + surveys.urlpatterns
