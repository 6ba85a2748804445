"""The RAS's stored records: schemes, versions, allocations, and calibration and model runs."""

from .rates import ReferenceRate
from .runs import CalibrationRun, EqualityAssessment, GroupJustification, ModelRun
from .versions import Allocation, RasScheme, RasVersion

__all__ = [
    "Allocation",
    "CalibrationRun",
    "EqualityAssessment",
    "GroupJustification",
    "ModelRun",
    "RasScheme",
    "RasVersion",
    "ReferenceRate",
]
