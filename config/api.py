"""API root: /api/v1/ (DRF), /api/schema/ (OpenAPI 3), /api/docs/ (Swagger UI, local assets)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from houqin.activities import api as activities_api
from houqin.canteen import api as canteen_api
from houqin.core.approvals import api as approvals_api
from houqin.core.duties import api as duties_api
from houqin.core.notifications import api as notifications_api
from houqin.energy import api as energy_api
from houqin.finance import api as finance_api
from houqin.fleet import api as fleet_api
from houqin.maintenance import api as maintenance_api
from houqin.meetings import api as meetings_api
from houqin.org import api as org_api
from houqin.security import api as security_api
from houqin.space import api as space_api
from houqin.vendors import api as vendors_api

router = DefaultRouter()
org_api.register(router)
notifications_api.register(router)
approvals_api.register(router)
duties_api.register(router)
meetings_api.register(router)
fleet_api.register(router)
canteen_api.register(router)
maintenance_api.register(router)
space_api.register(router)
security_api.register(router)
energy_api.register(router)
finance_api.register(router)
vendors_api.register(router)
activities_api.register(router)

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its script as a file, so Swagger UI works under our strict CSP.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
