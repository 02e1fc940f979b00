"""(filled in by the units pages)"""

urlpatterns = []
