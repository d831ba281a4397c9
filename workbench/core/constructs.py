"""Construct orders (Schutz via Britten 2002) and the rules that relate them."""
from __future__ import annotations

from .errors import WorkbenchError

ORDERS = {
    1: "first-order",   # participants' own views, usually quotes
    2: "second-order",  # the study authors' interpretations
    3: "third-order",   # the reviewers' interpretations across studies
}

# A link kind: (order of the construct that has the link, order of its target).
LINK_KINDS = {"supports": (1, 2), "interprets": (2, 3)}


class ConstructError(WorkbenchError, ValueError):
    """A construct operation was refused; the message says why."""


def parse_order(value: object) -> int:
    """The construct order 1, 2 or 3 from ``value`` (an int or "1"/"first"/"first-order" ...)."""
    text = str(value).strip().lower()
    for order, label in ORDERS.items():
        if text in (str(order), label, label.split("-")[0]):
            return order
    raise ConstructError(f"order must be 1, 2 or 3 (first-, second- or third-order), not {value!r}")


def check_parent(child_order: int, parent_order: int, child: str, parent: str) -> None:
    """Refuse a parent of a lower order: a quote (1) sits under a theme (2) or higher, a theme under
    a third-order construct, a third-order construct under an overarching third-order one."""
    if parent_order < child_order:
        raise ConstructError(
            f"{child!r} is {ORDERS[child_order]} and cannot sit under {parent!r}, which is "
            f"{ORDERS[parent_order]}; a parent must be of the same or a higher order"
        )
