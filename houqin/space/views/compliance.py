from django.http import HttpResponse
from django.urls import path


def compliance(request):  # placeholder, replaced by the compliance views
    return HttpResponse("")


urlpatterns = [path("", compliance, name="compliance")]
