"""What the energy app plugs into the shared mechanisms (pages come with the rest of issue 10)."""


def register():
    from auditlog.registry import auditlog

    from houqin.core.roles import Role, grant

    from . import models

    names = ("institution", "institutionyear", "meter", "meterreading", "energytarget")
    grant(
        Role.ENERGY_MANAGER,
        *(f"energy.{a}_{m}" for m in names for a in ("view", "add", "change", "delete")),
        "energy.view_energyfactor",
    )
    for role in (Role.CENTER_ADMIN, Role.LEADER):
        grant(role, *(f"energy.view_{m}" for m in names), "energy.view_energyfactor")
    for model in (
        models.Institution,
        models.InstitutionYear,
        models.Meter,
        models.MeterReading,
        models.EnergyTarget,
        models.EnergyFactor,
    ):
        auditlog.register(model, exclude_fields=["updated_at"])
