"""Every write of the energy app (<entity>_<action>(*, actor, ...), atomic)."""
