from django.http import HttpResponse
from django.urls import path


def request_detail(request, pk):  # placeholder, replaced by the plan views
    return HttpResponse("")


urlpatterns = [path("requests/<int:pk>/", request_detail, name="request_detail")]
