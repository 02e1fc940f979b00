"""(filled in by the sorting pages)"""

urlpatterns = []
