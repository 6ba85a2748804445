"""The RAS's pure formulas: the scheme definition, the numpy engine, calibration, the
breakdown of gains and losses, the plain-Python reference, and explanation lines.

No Django imports here (ruff's banned-api rule, TID251, enforces it), so every formula can
be read, tested and benchmarked on its own.
"""
