from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from houqin.core.menu import tiles_for


@login_required
def home(request):
    """Mobile-first staff portal; modules add their tiles (订餐, 用车, 报修…) to core.menu."""
    return render(request, "portal/home.html", {"tiles": tiles_for(request.user)})
