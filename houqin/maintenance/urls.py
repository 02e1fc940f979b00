"""维修 URLs: each view module lists its own patterns (reporting and following a repair on the
phone, the technician's orders, the manager's board, the equipment register, findings)."""

from .views import board, equipment, findings, report, technician

app_name = "maintenance"
urlpatterns = [
    *report.urlpatterns,
    *technician.urlpatterns,
    *board.urlpatterns,
    *equipment.urlpatterns,
    *findings.urlpatterns,
]
