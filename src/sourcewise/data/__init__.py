"""Packaged reference data and the code that rebuilds it from its sources."""
