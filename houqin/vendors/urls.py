"""URLs of the vendors app: each view module lists its own patterns."""

from .views import contracts, evaluations, vendors

app_name = "vendors"
urlpatterns = [
    *contracts.urlpatterns,
    *evaluations.urlpatterns,
    *vendors.urlpatterns,
]
