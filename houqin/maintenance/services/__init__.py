"""Every write of the maintenance app (<entity>_<action>(*, actor, ...), atomic).

work_orders  reporting, the transition graph, assignment, materials, merge, SLA clocks
equipment    the equipment register and its documents
findings     safety-inspection findings and their rectification
followups    duty follow-ups: a failed preventive item opens a work order, a failed
             safety-inspection item a finding
"""
