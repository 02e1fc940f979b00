"""Domain events of the org app that other modules react to.

`person_left` is sent inside the transaction of `person_set_status` when a person is
transferred or retires; receivers (office space, canteen wallet, fleet…) call their own
services to take back offices, close wallets and so on, atomically with the status change.
"""

from django.dispatch import Signal

person_left = Signal()  # kwargs: person, actor
