"""Every write of the security app (<entity>_<action>(*, actor, ...), atomic)."""
