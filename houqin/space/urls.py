"""办公用房 URLs: each view module lists its own patterns."""

from .views import buildings, compliance, estate, plans, reports, rooms, standards

app_name = "space"
urlpatterns = [
    *buildings.urlpatterns,
    *rooms.urlpatterns,
    *compliance.urlpatterns,
    *plans.urlpatterns,
    *estate.urlpatterns,
    *reports.urlpatterns,
    *standards.urlpatterns,
]
