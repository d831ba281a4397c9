"""Widgets of the coding screen: study list, study text, at-cursor panel, constructs panel."""
