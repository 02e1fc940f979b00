"""houqin's URLs plus /bench/bare/: a minimal Django view behind the same middleware stack.

Benchmarks report houqin's endpoints as a ratio to this view measured in the same run, so
the figures say how much houqin costs on top of Django itself on that machine.
"""

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from config.urls import *  # noqa: F403
from config.urls import urlpatterns as houqin_urlpatterns


@csrf_exempt
def bare(request):
    return JsonResponse({"ok": True}, status=201 if request.method == "POST" else 200)


urlpatterns = [path("bench/bare/", bare), *houqin_urlpatterns]
