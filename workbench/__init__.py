"""Qualitative synthesis coding workbench."""
__version__ = "0.1.0"
