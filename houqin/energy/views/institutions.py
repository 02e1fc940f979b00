"""(filled in by the institutions pages)"""

urlpatterns = []
