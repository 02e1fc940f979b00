"""The duties figures for a period, for reports/ (the annual work summary) and the dashboard.

duty_figures(center, start, end)  completed records per category ("消毒 X 次", "除四害 X 次")
compliance(center, start, end, category=None)  per plan: due / on time / late / missed
"""

from .selectors import ComplianceRow, compliance, duty_figures

__all__ = ["ComplianceRow", "compliance", "duty_figures"]
