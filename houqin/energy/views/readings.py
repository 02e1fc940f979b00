"""(filled in by the readings pages)"""

urlpatterns = []
