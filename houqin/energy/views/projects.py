"""(filled in by the projects pages)"""

urlpatterns = []
