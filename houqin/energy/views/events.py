"""(filled in by the events pages)"""

urlpatterns = []
