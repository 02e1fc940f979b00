"""外包 models: outsourced service companies, their contracts and staff, and the periodic
evaluations against a configurable scoring sheet that decide whether a payment is flagged."""

from .evaluations import EvaluationItem, EvaluationScore, EvaluationSheet, VendorEvaluation
from .vendors import Contract, Vendor, VendorStaff

__all__ = [
    "Contract",
    "EvaluationItem",
    "EvaluationScore",
    "EvaluationSheet",
    "Vendor",
    "VendorEvaluation",
    "VendorStaff",
]
