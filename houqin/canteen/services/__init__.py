"""Every write of the canteen app (<entity>_<action>(*, actor, ...), atomic).

wallets      the ledger: top-ups, subsidies, adjustments (approved), online payments, closing
orders       placing, changing and cancelling orders; pickup; walk-in sales; settling a meal
menus        meal slots, dishes, menus and their publication
food_safety  workers, morning checks, samples, purchase inspections (completing duty tasks)
"""
