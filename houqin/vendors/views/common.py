"""What the vendors templates ask about the user (one place for the permission checks)."""


class VendorsPage:
    def __init__(self, user):
        self.user = user

    @property
    def can_edit(self):
        return self.user.has_perm("vendors.change_vendor")

    @property
    def can_add_contract(self):
        return self.user.has_perm("vendors.add_contract")

    @property
    def can_edit_staff(self):
        return self.user.has_perm("vendors.change_vendorstaff")

    @property
    def can_evaluate(self):
        return self.user.has_perm("vendors.add_vendorevaluation")
