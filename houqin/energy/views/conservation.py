"""(filled in by the conservation pages)"""

urlpatterns = []
