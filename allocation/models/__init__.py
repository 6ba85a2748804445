"""The RAS's stored records: schemes, versions, allocations, and calibration and model runs."""

from .rates import ReferenceRate
from .runs import CalibrationRun, ModelRun
from .versions import Allocation, RasScheme, RasVersion

__all__ = ["Allocation", "CalibrationRun", "ModelRun", "RasScheme", "RasVersion", "ReferenceRate"]
