"""Django admin for system operators (superusers): the conversion factors.

EnergyFactor rows are shared by every center of an installation (GB/T 2589 and the emission
factors are national or provincial figures), so they are configuration for the operator, not
for a center's energy manager, who sees them read-only on the factors page. A new edition is
added as a new row with its effective date; old rows stay so that past years keep their figures.
"""

from django.contrib import admin

from .models import EnergyFactor


@admin.register(EnergyFactor)
class EnergyFactorAdmin(admin.ModelAdmin):
    list_display = ("kind", "factor", "density", "co2_factor", "effective_from", "basis")
    list_filter = ("kind",)
    ordering = ("kind", "-effective_from")
