"""The constructs screen: the review's constructs as a tree, with codings per reviewer.

Constructs are grouped by order; inside a group each sits under its same-order parent (third-order
constructs under their overarching one). Each label carries the codings per reviewer: only this
reviewer's in blind mode, every reviewer's after ``v``. From a construct, enter or ``j`` lists
every span coded with it across studies ("Spans of ...") and choosing one opens that study with
the span selected. ``i`` (define), ``r``, ``m``, ``M``/``p``, ``o``, ``d``, ``l`` (link one order
up) and ``L`` (unlink) change constructs through the store (one transaction and one event each,
undoable with ``u``); the lines under the tree show the highlighted construct's definition and
links; ``e`` edits its memo.
"""
from __future__ import annotations

from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, Tree
from textual.widgets.tree import TreeNode

from ...core.constructs import ORDERS
from ...store.constructs import Construct
from .. import translating, tree_model
from ..colours import ORDER_COLOURS, order_badge
from ..session import Session
from ..widgets.fit import one_line
from .coding import REDO, UNDO
from .define import DefineScreen
from .modals import ChooseScreen, ConfirmScreen, InputScreen
from .picker import ConstructPicker, OrderScreen
from .spans import SpansScreen

MEMO_MARK = "✎"

NodeData = tuple[str, int]  # ("group", order) or ("construct", construct id)


class ConstructTree(Tree[NodeData]):
    """The tree widget: Textual's Tree with left/right to collapse/expand as in file managers."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Spans of the construct; on an order group: fold or unfold", show=False),
        Binding("space", "toggle_node", "Fold or unfold what is under the construct or group", show=False),
        Binding("shift+space", "toggle_expand_all", "Fold or unfold everything under it", show=False),
        Binding("up", "cursor_up", "Previous construct", show=False),
        Binding("down", "cursor_down", "Next construct", show=False),
        Binding("right", "expand_or_down", "Unfold, or go to the first construct under it", show=False),
        Binding("left", "collapse_or_up", "Fold, or go to the construct it is under", show=False),
        Binding("shift+left", "cursor_parent", "To the construct it is under", show=False),
        Binding("shift+up", "cursor_previous_sibling", "Previous construct at this level", show=False),
        Binding("shift+down", "cursor_next_sibling", "Next construct at this level", show=False),
        Binding("shift+right", "cursor_parent_next_sibling", "Next construct one level up", show=False),
    ]

    def action_expand_or_down(self) -> None:
        node = self.cursor_node
        if node is None or not node.allow_expand:
            return
        if not node.is_expanded:
            node.expand()
        elif node.children:
            self.move_cursor(node.children[0])

    def action_collapse_or_up(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.allow_expand and node.is_expanded:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self.move_cursor(node.parent)


class ConstructsScreen(Screen):
    BINDINGS = [
        Binding("j", "spans", "Spans", tooltip="Spans of the construct: every span coded with it or with one under "
                                               "it or linked to it, across studies (also enter)"),
        Binding("r", "rename", "Rename", tooltip="Rename the construct (one other reviewers coded with: a lead "
                                                 "only, after saying yes)"),
        Binding("i", "define", "Define", tooltip="Edit the definition, when to use, when not to use, example "
                                                 "and colour"),
        Binding("m", "merge", "Merge", tooltip="Merge the construct into another (its codings, links and memos "
                                                "move; other reviewers' codings: a lead only, after saying yes)"),
        Binding("M,p", "move", "Move", show=False, tooltip="Move the construct under another parent or none "
                                                          "(one other reviewers coded with: a lead only)"),
        Binding("o", "change_order", "Order", show=False, tooltip="Change the construct's order, 1, 2 or 3 (one "
                                                                 "other reviewers coded with: a lead only)"),
        Binding("d", "delete", "Delete", tooltip="Delete the construct (asks first; its codings go with it, kept "
                                                 "in the event log; u undoes). Other reviewers' codings: only a "
                                                 "lead, who must say yes (enter is no)"),
        Binding("l", "link", "Link", tooltip="Link the construct one order up: a first-order one supports a "
                                             "second-order one, a second-order one interprets a third-order one"),
        Binding("L", "unlink", "Unlink", show=False, tooltip="Remove one of the construct's links"),
        Binding("e", "memo", "Memo", tooltip="Edit your memo on the construct"),
        Binding("v", "toggle_view", "Mine/all", tooltip="Only your work and the shared codebook (blind) or every reviewer's (recorded)"),
        Binding("ctrl+z,u", "app.undo", "Undo", show=False, tooltip=UNDO),
        Binding("ctrl+y,U", "app.redo", "Redo", show=False, tooltip=REDO),
        Binding("slash", "app.search", "Search", show=False, tooltip="Search study texts and memos"),
        Binding("escape,k,q", "close", "Back", tooltip="Back to the coding screen"),
        Binding("question_mark", "app.help", "Help", show=False, tooltip="List every key"),
    ]

    def __init__(self, session: Session, select: int | None = None):
        super().__init__(id="constructs-screen")
        self.session = session
        self._select = select  # construct id to put the cursor on when the tree is built
        self._built = False

    # --- layout -----------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="tree-box"):
            tree = ConstructTree("Constructs", id="construct-tree")
            tree.show_root = False
            tree.auto_expand = False
            tree.guide_depth = 3
            yield tree
            yield Static(id="construct-detail")
        yield Footer(compact=True)

    @property
    def tree(self) -> ConstructTree:
        return self.query_one("#construct-tree", ConstructTree)

    @property
    def detail(self) -> Static:
        return self.query_one("#construct-detail", Static)

    def on_mount(self) -> None:
        self.rebuild(select=self._select)
        self.tree.focus()

    # --- building the tree -----------------------------------------------------------------------
    def _label(self, c: Construct, parent_elsewhere: Construct | None, memos: set[int]) -> Text:
        s = self.session
        counts = s.reviewer_counts().get(c.id, {})
        words = tree_model.count_words(counts, s.reviewer_names, s.reviewer_id, s.show_all)
        shown = counts.get(s.reviewer_id, 0) if not s.show_all else sum(counts.values())
        label = Text(no_wrap=True, overflow="ellipsis")
        label.append(c.name, Style(bold=shown > 0, dim=shown == 0))
        label.append(f"  {words}", Style(color=ORDER_COLOURS[c.order].swatch if shown else None, dim=not shown))
        if c.id in memos:
            label.append(f" {MEMO_MARK}", Style(bold=True))
        if parent_elsewhere is not None:
            label.append(f"  (under [{parent_elsewhere.order}] {parent_elsewhere.name})", Style(dim=True))
        return label

    def rebuild(self, select: int | None = None) -> None:
        """(Re)build the tree from the session, keeping what was expanded and where the cursor was
        (or putting it on construct ``select``)."""
        s = self.session
        tree = self.tree
        expanded: set[NodeData] = set()
        collapsed: set[NodeData] = set()
        cursor_data = tree.cursor_node.data if tree.cursor_node is not None else None
        cursor_line = tree.cursor_line
        if self._built:
            for node in self._tree_nodes():
                if node.allow_expand:
                    (expanded if node.is_expanded else collapsed).add(node.data)
        from ...store.memos import memo_ids_of

        memos = memo_ids_of(s.db, "construct", None if s.show_all else s.reviewer_id)
        groups = tree_model.build(s.constructs.values())
        tree.clear()
        by_data: dict[NodeData, TreeNode] = {}

        def add(parent: TreeNode, item: tree_model.ConstructNode) -> None:
            c = item.construct
            data = ("construct", c.id)
            label = self._label(c, item.parent_elsewhere, memos)
            if item.children:
                node = parent.add(label, data=data)
                for child in item.children:
                    add(node, child)
                if data not in collapsed:
                    node.expand()
            else:
                node = parent.add_leaf(label, data=data)
            by_data[data] = node

        for group in groups:
            colours = ORDER_COLOURS[group.order]
            heading = Text(no_wrap=True)
            heading.append_text(order_badge(group.order))
            heading.append(f" {group.label} ({group.size})", Style(color=colours.swatch, bold=True))
            data = ("group", group.order)
            node = tree.root.add(heading, data=data, allow_expand=bool(group.roots))
            by_data[data] = node
            for item in group.roots:
                add(node, item)
            if data not in collapsed:
                node.expand()
        tree.root.expand()
        self._built = True
        _ = tree.last_line  # lay the lines out so that nodes know their line
        target = by_data.get(("construct", select)) if select is not None else by_data.get(cursor_data)
        if target is not None:
            tree.move_cursor(target)
        elif tree.last_line >= 0:
            tree.cursor_line = max(0, min(cursor_line, tree.last_line))
        tree.border_title = "Constructs" + ("  (every reviewer's codings)" if s.show_all else
                                            f"  ({s.reviewer}'s codings: blind)")
        self.refresh_detail()

    def _tree_nodes(self) -> list[TreeNode]:
        found: list[TreeNode] = []
        todo = list(self.tree.root.children)
        while todo:
            node = todo.pop(0)
            found.append(node)
            todo[:0] = list(node.children)
        return found

    @property
    def plain_lines(self) -> list[str]:
        """The visible rows as plain text, indented two spaces per depth (for tests and logs)."""
        lines = []
        for line in self.tree._tree_lines:
            node = line.node
            depth, up = 0, node.parent
            while up is not None and up is not self.tree.root:
                depth, up = depth + 1, up.parent
            label = node.label if isinstance(node.label, Text) else Text(str(node.label))
            lines.append("  " * depth + label.plain)
        return lines

    # --- what is highlighted -----------------------------------------------------------------------
    @property
    def current(self) -> Construct | None:
        node = self.tree.cursor_node
        if node is None or node.data is None or node.data[0] != "construct":
            return None
        return self.session.constructs.get(node.data[1])

    def _need_construct(self) -> Construct | None:
        c = self.current
        if c is None:
            self.app.notify("Move to a construct first (up/down).", severity="warning")
        return c

    @on(Tree.NodeHighlighted)
    def _highlighted(self) -> None:
        self.refresh_detail()

    def refresh_detail(self) -> None:
        c = self.current
        text = Text()
        if c is None:
            node = self.tree.cursor_node
            if node is not None and node.data and node.data[0] == "group":
                text.append(f"{ORDERS[node.data[1]]} constructs: enter or space folds them; "
                            "up/down to a construct.", Style(dim=True))
        else:
            s = self.session
            width = max(20, self.detail.content_region.width or self.size.width - 4)
            heading = Text()
            heading.append_text(order_badge(c.order))
            heading.append(f" {c.name}", Style(bold=True))
            parent = s.constructs.get(c.parent_id) if c.parent_id else None
            if parent is not None:
                heading.append(f"  under {parent.name}", Style(dim=True))
            linked = link_words(c.id, s.links_of(c.id))
            # the lines below wrap rather than cut: the name and parent, the links (both ways) and
            # the keys the footer has no room for; the definition takes what is left, at least one line
            head = wrapped(heading, width, 2)
            links = wrapped(Text(linked), width, 3) if linked else []
            keys = wrapped(Text(DETAIL_KEYS, Style(dim=True)), width, 2)
            room = max(1, self.detail.content_region.height - len(head) - len(links) - len(keys))
            if c.definition:
                definition = wrapped(Text(one_line(c.definition), Style(dim=True)), width, room)
            else:
                definition = [Text("No definition yet.", Style(dim=True, italic=True))]
            text = Text("\n").join(head + definition + links + keys)
        self.detail.update(text)

    # --- spans -------------------------------------------------------------------------------------
    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected) -> None:
        event.stop()
        if event.node.data and event.node.data[0] == "group":
            event.node.toggle()
            return
        self.action_spans()

    def action_spans(self) -> None:
        c = self._need_construct()
        if c is not None:
            self._spans_flow(c)

    @work(exclusive=True, group="dialog")
    async def _spans_flow(self, c: Construct) -> None:
        s = self.session
        with self.app.guarded(reading=True) as guard:
            spans = translating.rolled_spans(s, c.id)
        if guard.failed:
            return
        chosen = await self.app.push_screen_wait(SpansScreen(c, spans, "every reviewer's" if s.show_all else "yours"))
        if chosen is None:
            return
        self.app.go_to_span(chosen.study_id, chosen.start, chosen.end)

    # --- restructuring -----------------------------------------------------------------------------
    def after_change(self, select: int | None = None) -> None:
        """Repaint this tree and the coding screen after the store changed."""
        self.app.refresh_after_change(select=select)

    def action_rename(self) -> None:
        c = self._need_construct()
        if c is not None:
            self._rename_flow(c)

    async def _others_agree(self, c: Construct, doing: str, what: str) -> bool | None:
        """Whether ``doing`` (``renaming`` ...) the construct may go ahead as far as other
        reviewers' work goes, as the store's ``touching_others``: False when no one else coded with
        it, True when a lead says yes to the confirmation naming them (which defaults to no); None
        to stop, after a lead's no or after telling a reviewer who is not a lead why not."""
        with self.app.guarded(f"Cannot {what}", reading=True) as guard:
            others = self.session.others_on(c.id, doing)
        if guard.failed:
            return None
        if not others:
            return False
        return await self.app.push_screen_wait(ConfirmScreen(
            others_question(Text.assemble(doing.capitalize(), " ", (f"“{c.name}”", "bold"), "?\n\n"), c.name,
                            others, doing),
            title=f"{what.capitalize()}: other reviewers' work", default=False)) or None

    @work(exclusive=True, group="dialog")
    async def _rename_flow(self, c: Construct) -> None:
        agreed = await self._others_agree(c, "renaming", "rename")
        if agreed is None:
            return
        name = await self.app.push_screen_wait(InputScreen(
            Text.assemble("New name for ", (f"“{c.name}”", "bold"), ":"), value=c.name, title="Rename construct"))
        if name is None or name == c.name:
            return
        with self.app.guarded("Not renamed") as guard:
            self.session.rename(c.id, name, touching_others=agreed)
        if guard.failed:
            return
        self.after_change(select=c.id)
        self.app.notify(f"Renamed “{c.name}” to “{name}” (u undoes).", markup=False)

    def action_define(self) -> None:
        c = self._need_construct()
        if c is not None:
            self._define_flow(c)

    @work(exclusive=True, group="dialog")
    async def _define_flow(self, c: Construct) -> None:
        changes = await self.app.push_screen_wait(DefineScreen(
            c, Text.assemble(order_badge(c.order), " ", (c.name, "bold"), f"  {ORDERS[c.order]}")))
        if not changes:
            return
        with self.app.guarded("Not saved") as guard:
            self.session.edit(c.id, changes)
        if guard.failed:
            return
        self.after_change(select=c.id)
        fields = ", ".join(k.replace("_", " ") for k in changes)
        self.app.notify(f"Saved “{c.name}”: {fields} (u undoes).", markup=False)

    def action_merge(self) -> None:
        c = self._need_construct()
        if c is not None:
            self._merge_flow(c)

    @work(exclusive=True, group="dialog")
    async def _merge_flow(self, c: Construct) -> None:
        s = self.session
        heading = Text.assemble("Merge ", (f"“{c.name}”", "bold"),
                                " into which construct? Its codings, links and memos move there.")
        picked = await self.app.push_screen_wait(ConstructPicker(
            list(s.constructs.values()), s.recent, mode="target", heading=heading, exclude={c.id},
            title="Merge into"))
        if picked is None or picked.construct_id is None:
            return
        target = s.constructs[picked.construct_id]
        allow = target.order != c.order
        with self.app.guarded("Cannot merge", reading=True) as guard:
            preview = s.preview_merge(c.id, target.id, allow_order_change=allow)
        if guard.failed:
            return
        question = Text.assemble("Merge ", (f"“{c.name}”", "bold"), " into ", (f"“{target.name}”", "bold"), "?\n\n")
        if preview.others:
            question = others_question(question, c.name, preview.others, "merging")
            question.append("\n\n")
        question.append(merge_words(preview, s.reviewer_names, s.reviewer_id, s.show_all), Style(dim=True))
        if allow:
            question.append(f"\n\n“{c.name}” is {ORDERS[c.order]} and “{target.name}” is {ORDERS[target.order]}: "
                            f"its codings become {ORDERS[target.order]}.", Style(bold=True))
        if not await self.app.push_screen_wait(ConfirmScreen(question, title="Merge constructs",
                                                             default=not preview.others)):
            return
        with self.app.guarded("Not merged") as guard:
            report = s.merge(c.id, target.id, allow_order_change=allow, touching_others=bool(preview.others))
        if guard.failed:
            return
        self.after_change(select=target.id)
        moved = sum(report.live_by_reviewer.values())
        self.app.notify(f"Merged “{c.name}” into “{target.name}”: {moved} live coding{'s' if moved != 1 else ''} "
                        "moved (u undoes).", markup=False)

    def action_move(self) -> None:
        c = self._need_construct()
        if c is not None:
            self._move_flow(c)

    @work(exclusive=True, group="dialog")
    async def _move_flow(self, c: Construct) -> None:
        s = self.session
        below = tree_model.descendants(c.id, s.constructs.values())
        heading = Text.assemble("Move ", (f"“{c.name}”", "bold"), f" ({ORDERS[c.order]}) under another construct "
                                "of the same or a higher order, or choose (no parent).")
        picked = await self.app.push_screen_wait(ConstructPicker(
            list(s.constructs.values()), s.recent, mode="parent", heading=heading, min_order=c.order,
            exclude={c.id} | below, title="Move under"))
        if picked is None:
            return
        if picked.construct_id == c.parent_id:
            self.app.notify("It is there already.")
            return
        agreed = await self._others_agree(c, "moving", "move")
        if agreed is None:
            return
        with self.app.guarded("Not moved") as guard:
            s.move(c.id, picked.construct_id, touching_others=agreed)
        if guard.failed:
            return
        self.after_change(select=c.id)
        where = f"under “{s.constructs[picked.construct_id].name}”" if picked.construct_id else "to the top"
        self.app.notify(f"Moved “{c.name}” {where} (u undoes).", markup=False)

    def action_change_order(self) -> None:
        c = self._need_construct()
        if c is not None:
            self._order_flow(c)

    @work(exclusive=True, group="dialog")
    async def _order_flow(self, c: Construct) -> None:
        order = await self.app.push_screen_wait(OrderScreen(
            c.name, title="Change order", intro="Construct ",
            question=f"which order should it have? (now {ORDERS[c.order]})"))
        if order is None or order == c.order:
            return
        agreed = await self._others_agree(c, "changing the order of", "change the order")
        if agreed is None:
            return
        with self.app.guarded("Order not changed") as guard:
            self.session.change_order(c.id, order, touching_others=agreed)
        if guard.failed:
            return
        self.after_change(select=c.id)
        self.app.notify(f"“{c.name}” is now {ORDERS[order]} (u undoes).", markup=False)

    def action_delete(self) -> None:
        c = self._need_construct()
        if c is not None:
            self._delete_flow(c)

    @work(exclusive=True, group="dialog")
    async def _delete_flow(self, c: Construct) -> None:
        s = self.session
        # constructs under it: the store's refusal, before asking anything
        with self.app.guarded("Cannot delete", reading=True) as guard:
            preview = s.preview_delete(c.id, remove_codings=True)
        if guard.failed:
            return
        counts = s.reviewer_counts().get(c.id, {})
        n = len(preview.codings_removed)
        question = Text.assemble("Delete ", (f"“{c.name}”", "bold"), "?\n\n")
        if preview.others:
            question = others_question(question, c.name, preview.others, "deleting")
            question.append("\n\n")
        if n:
            question.append(f"It has {n} live coding{'s' if n != 1 else ''} "
                            f"({tree_model.whose_words(counts, s.reviewer_names, s.reviewer_id, s.show_all)}). "
                            "Deleting it removes them too (kept in the event log; u undoes). "
                            "To keep them, escape and merge it into another construct with m.", Style(bold=True))
        else:
            question.append("Nothing is coded with it.", Style(dim=True))
        if preview.memos_removed:
            question.append(f"\n{len(preview.memos_removed)} memo(s) on it or its codings are removed with it.",
                            Style(dim=True))
        question.append("\nu undoes the deletion.", Style(dim=True))
        if not await self.app.push_screen_wait(ConfirmScreen(question, title="Delete construct",
                                                             default=not preview.others)):
            return
        with self.app.guarded("Not deleted") as guard:
            report = s.delete_construct(c.id, remove_codings=n > 0, touching_others=bool(preview.others))
        if guard.failed:
            return
        self.after_change()
        removed = len(report.codings_removed)
        self.app.notify(f"Deleted “{c.name}”" + (f" and removed its {removed} coding{'s' if removed != 1 else ''}"
                                                  if removed else "") + " (u undoes).", markup=False)

    def action_link(self) -> None:
        c = self._need_construct()
        if c is not None:
            self._link_flow(c)

    @work(exclusive=True, group="dialog")
    async def _link_flow(self, c: Construct) -> None:
        s = self.session
        if c.order == 3:
            self.app.notify("Third-order constructs are linked from second-order ones: press l on a "
                            "second-order construct.", severity="warning")
            return
        kind = "supports" if c.order == 1 else "interprets"
        linked = {x.to_id for x in s.links_of(c.id) if x.from_id == c.id}
        choices = [x for x in s.constructs.values() if x.order == c.order + 1 and x.id not in linked]
        if not choices:
            self.app.notify(f"No {ORDERS[c.order + 1]} construct to link “{c.name}” to"
                            + (" that it is not linked to already." if linked else " yet."), markup=False)
            return
        heading = Text.assemble((f"“{c.name}”", "bold"), f" {kind} which {ORDERS[c.order + 1]} construct?")
        picked = await self.app.push_screen_wait(ConstructPicker(
            choices, s.recent, mode="target", heading=heading, title="Link"))
        if picked is None or picked.construct_id is None:
            return
        with self.app.guarded("Not linked") as guard:
            made = s.link(c.id, kind, picked.construct_id)
        if guard.failed:
            return
        self.refresh_detail()
        self.app.notify(f"Linked: “{made.from_name}” {made.kind} “{made.to_name}” (u undoes).", markup=False)

    def action_unlink(self) -> None:
        c = self._need_construct()
        if c is not None:
            self._unlink_flow(c)

    @work(exclusive=True, group="dialog")
    async def _unlink_flow(self, c: Construct) -> None:
        s = self.session
        found = s.links_of(c.id)
        if not found:
            self.app.notify(f"“{c.name}” has no links.", markup=False)
            return
        items = [(x.id, f"“{x.from_name}” {x.kind} “{x.to_name}”") for x in found]
        link_id = await self.app.push_screen_wait(ChooseScreen(items, title="Remove which link?"))
        if link_id is None:
            return
        with self.app.guarded("Not unlinked") as guard:
            gone = s.unlink(link_id)
        if guard.failed:
            return
        self.refresh_detail()
        self.app.notify(f"Unlinked: “{gone.from_name}” {gone.kind} “{gone.to_name}” (u undoes).", markup=False)

    # --- memo and view -----------------------------------------------------------------------------
    def action_memo(self) -> None:
        c = self._need_construct()
        if c is not None:
            self.app.edit_memo("construct", c.id, Text.assemble("Your memo on the construct ",
                                                                  (f"“{c.name}”", "bold"),
                                                                  f" ({ORDERS[c.order]})"))

    def action_toggle_view(self) -> None:
        self.app.coding_screen.action_toggle_view()
        self.rebuild()

    def action_close(self) -> None:
        self.app.pop_screen()


INCOMING = {"supports": "supported by", "interprets": "interpreted by"}


def others_question(question: Text, name: str, others: dict[str, int], doing: str) -> Text:
    """``question`` with the warning a lead confirms: whose work ``doing`` the construct touches."""
    from ...store.words import whose

    question.append(f"“{name}” is used by {whose(others)}: {doing} it changes their work. ", Style(bold=True))
    question.append("You are a lead; y goes ahead, enter or n keeps their work as it is.")
    return question


DETAIL_KEYS = "also: M move  o order  L unlink  u undo  ? every key"


def wrapped(text: Text, width: int, most: int) -> list[Text]:
    """``text`` wrapped to ``width`` cells at words, at most ``most`` lines (the last one ends in
    an ellipsis when more was cut)."""
    lines = list(text.wrap(Console(width=width, legacy_windows=False), width))
    if len(lines) > most:
        last = Text(" ").join(lines[most - 1:])
        last.truncate(width, overflow="ellipsis")
        lines = lines[:most - 1] + [last]
    for line in lines:
        line.end = ""
    return lines


def link_words(construct_id: int, links) -> str:
    """The construct's links in one line: ``supports A, B · interpreted by C``."""
    groups: dict[str, list[str]] = {}
    for x in links:
        outgoing = x.from_id == construct_id
        groups.setdefault(x.kind if outgoing else INCOMING[x.kind], []).append(x.to_name if outgoing else x.from_name)
    return " · ".join(f"{verb} {', '.join(names)}" for verb, names in groups.items())


def merge_words(preview, reviewer_names: dict[int, str], reviewer_id: int, show_all: bool) -> str:
    """What a merge will do, in a sentence or two, from the store's preview report."""
    live = preview.live_by_reviewer
    n = sum(live.values())
    parts = [f"{n} live coding{'s' if n != 1 else ''}"
             + (f" ({tree_model.whose_words(live, reviewer_names, reviewer_id, show_all)})" if n else "")
             + f" move to “{preview.target.name}”"]
    if preview.collapsed:
        parts.append(f"{len(preview.collapsed)} identical to one it has already are marked removed")
    if preview.children_moved:
        parts.append(f"{len(preview.children_moved)} construct(s) under it move under “{preview.target.name}”")
    if preview.links_moved:
        parts.append(f"{len(preview.links_moved)} link(s) move")
    memos = len(preview.memos_moved) + len(preview.memos_combined)
    if memos:
        parts.append(f"{memos} memo(s) move")
    return "; ".join(parts) + f". “{preview.source.name}” goes; u undoes the merge."
