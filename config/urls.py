from django.contrib import admin
from django.urls import include, path

from houqin.core import views as core_views

urlpatterns = [
    path("", include("houqin.core.urls_shell")),
    path("", include("houqin.org.urls_auth")),
    path("org/", include("houqin.org.urls")),
    path("audit/", include("houqin.core.urls")),
    path("notifications/", include("houqin.core.notifications.urls")),
    path("approvals/", include("houqin.core.approvals.urls")),
    path("duties/", include("houqin.core.duties.urls")),
    path("calendar/", include("houqin.core.workdays.urls")),
    path("meetings/", include("houqin.meetings.urls")),
    path("fleet/", include("houqin.fleet.urls")),
    path("canteen/", include("houqin.canteen.urls")),
    path("maintenance/", include("houqin.maintenance.urls")),
    path("space/", include("houqin.space.urls")),
    path("security/", include("houqin.security.urls")),
    path("energy/", include("houqin.energy.urls")),
    path("finance/", include("houqin.finance.urls")),
    path("vendors/", include("houqin.vendors.urls")),
    path("activities/", include("houqin.activities.urls")),
    path("reports/", include("houqin.reports.urls")),
    path("m/", include("houqin.portal.urls")),
    path("api/", include("config.api")),
    path("admin/", admin.site.urls),
]

handler400 = core_views.bad_request
handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error
