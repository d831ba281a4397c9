"""Restructuring the codebook without losing anything: rename, edit the definition and guidance,
merge, move, change order, delete, link and unlink.

Each operation is one transaction that writes one event (``construct.rename``, ``construct.edit``,
``construct.merge``, ``construct.move``, ``construct.change_order``, ``construct.delete``,
``construct.link``, ``construct.unlink``) whose payload records exactly what changed; the module
of each operation registers beside it the undo handlers that invert it and redo re-apply it.
Refusals raise ``ConstructError`` with a message that names what is in the way, and write nothing.

Deleting (and merging, which retires the source) removes the construct *row*; its complete row, and
everything that pointed at it, is kept in the event's payload, so undo puts it back with the same id
and guid. Coding rows must point at an existing construct (a foreign key), so the coding rows of a
deleted construct (all of them removed by then) move whole into the ``construct.delete`` payload
too; undo restores them exactly. Codings of a merged construct are never deleted: they move, with
their ids, to the target.

``preview_merge`` and ``preview_delete`` say what ``merge`` and ``delete`` would do (or raise the
refusal) without writing anything, for a confirmation prompt.
"""
from .delete import DeleteReport, delete, preview_delete
from .fields import EDITABLE, change_order, edit, move, rename
from .links import Link, check_link, check_link_orders, get_link, link, links, unlink
from .merge import MergeReport, merge, preview_merge

__all__ = ["EDITABLE", "DeleteReport", "Link", "MergeReport", "change_order", "check_link", "check_link_orders",
           "delete", "edit", "get_link", "link", "links", "merge", "move", "preview_delete", "preview_merge",
           "rename", "unlink"]
