"""Fixtures of the translation view's tests: the hand-made review (review.py)."""
from translation.review import judged, review  # noqa: F401
