"""食堂 URLs: each view module lists its own patterns (staff phone pages, the pickup counter,
online payment, menu management, reports, wallets, devices, food safety)."""

from .views import counter, devices, food_safety, menus, pay, reports, staff, wallets

app_name = "canteen"
urlpatterns = [
    *staff.urlpatterns,
    *counter.urlpatterns,
    *pay.urlpatterns,
    *menus.urlpatterns,
    *reports.urlpatterns,
    *wallets.urlpatterns,
    *devices.urlpatterns,
    *food_safety.urlpatterns,
]
