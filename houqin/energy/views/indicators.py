"""(filled in by the indicators pages)"""

urlpatterns = []
