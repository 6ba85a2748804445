"""Commissioners' pages for the RAS: versions, the builder, calibration and modelling."""
