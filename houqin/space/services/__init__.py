"""Every write of the office-space app (<entity>_<action>(*, actor, ...), atomic).

register     buildings, floors (floor plans), rooms, the xlsx room import
allocation   rooms to agencies and offices to people: allocate, vacate, occupy, move out
plans        requests for more space and the annual adjustment plan (draft, apply)
estate       leases, renovation projects, ownership registration
standards    effective-dated area standards
"""
