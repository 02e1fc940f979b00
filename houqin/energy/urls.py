"""节能 URLs: each view module lists its own patterns."""

from .views import (
    conservation,
    events,
    indicators,
    institutions,
    projects,
    readings,
    sheets,
    sorting,
    units,
)

app_name = "energy"
urlpatterns = [
    *indicators.urlpatterns,
    *institutions.urlpatterns,
    *readings.urlpatterns,
    *sheets.urlpatterns,
    *conservation.urlpatterns,
    *units.urlpatterns,
    *projects.urlpatterns,
    *sorting.urlpatterns,
    *events.urlpatterns,
]
