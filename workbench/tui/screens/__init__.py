"""Screens: the coding screen and its modal dialogs (construct picker, order, confirm, choose, help)."""
