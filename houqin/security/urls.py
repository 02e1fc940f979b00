"""安保消防 URLs: each view module lists its own patterns."""

from .views import board, equipment, events, gate, patrols, rosters, settings, visits

app_name = "security"
urlpatterns = [
    *gate.urlpatterns,
    *visits.urlpatterns,
    *rosters.urlpatterns,
    *patrols.urlpatterns,
    *events.urlpatterns,
    *equipment.urlpatterns,
    *board.urlpatterns,
    *settings.urlpatterns,
]
