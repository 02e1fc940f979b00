"""URLs of the finance app: each view module lists its own patterns."""

from .views import assets, budgets, execution, expenditures, procurement, settings

app_name = "finance"
urlpatterns = [
    *execution.urlpatterns,
    *budgets.urlpatterns,
    *expenditures.urlpatterns,
    *settings.urlpatterns,
    *assets.urlpatterns,
    *procurement.urlpatterns,
]
