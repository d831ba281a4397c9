"""The synthesis (Noblit & Hare phase 6, issue 11 item 5): the third-order hierarchy as a tree,
overarching constructs over their third-order ones, each with its contributing and refuting
studies (following links and codings down, as the grid does), the relations between third-order
constructs for the line of argument (leads to, shapes, contrasts with), and the second-order
constructs of the studies that express it.

``r`` relates the construct at the cursor to another, ``x`` removes a relation (both undoable:
``u``/``U``), ``m`` opens the line-of-argument narrative (the project memo), enter lists a
construct's spans. CLI twins: ``workbench synthesis``, ``workbench relate`` (``--remove``).
"""
from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, Tree
from textual.widgets.tree import TreeNode

from ...store.synthesis import RELATION_KINDS, RELATION_WORDS, Group
from .. import translating
from ..colours import order_badge
from ..session import Session
from .modals import ChooseScreen
from .spans import SpansScreen

UNDO = "Undo your last change"
REDO = "Redo what you last undid"
NONE = "—"


def _studies(columns) -> str:
    return ", ".join(c.label for c in columns) or NONE


class SynthesisScreen(Screen):
    """The synthesis tree; follows changes (``follows_changes``), keeping the cursor."""

    follows_changes = True

    DEFAULT_CSS = """
    #synthesis-heading { height: auto; padding: 0 1; }
    #synthesis-tree { height: 1fr; }
    """

    BINDINGS = [
        Binding("enter", "spans", "Spans", show=False,
                tooltip="Spans of the construct at the cursor, rolled up along links (also on a group: fold)"),
        Binding("r", "relate", "Relate", tooltip="Relate the third-order construct to another: leads to, shapes, "
                                                 "contrasts with"),
        Binding("x", "unrelate", "Unrelate", tooltip="Remove a relation of the third-order construct"),
        Binding("m", "narrative", "Line of argument", tooltip="Write the line-of-argument narrative: your memo on "
                                                              "the project"),
        Binding("v", "toggle_view", "Mine/all",
                tooltip="Only your work and the shared codebook (blind) or every reviewer's (recorded)"),
        Binding("ctrl+z,u", "app.undo", "Undo", show=False, tooltip=UNDO),
        Binding("ctrl+y,U", "app.redo", "Redo", show=False, tooltip=REDO),
        Binding("J", "app.juxtaposition", "Concepts", show=False, tooltip="Each study's key concepts (juxtaposition)"),
        Binding("escape,Y,q", "close", "Back", tooltip="Back to the coding screen"),
        Binding("question_mark", "app.help", "Help", show=False, tooltip="List every key"),
    ]

    def __init__(self, session: Session):
        super().__init__(id="synthesis-screen")
        self.session = session
        self.groups: list[Group] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static(id="synthesis-heading")
            tree: Tree = Tree("Synthesis", id="synthesis-tree")
            tree.show_root = False
            tree.auto_expand = False  # enter lists spans; space or left/right fold
            tree.guide_depth = 3
            yield tree
        yield Footer(compact=True)

    @property
    def tree(self) -> Tree:
        return self.query_one("#synthesis-tree", Tree)

    def on_mount(self) -> None:
        self.rebuild()
        self.tree.focus()

    @property
    def plain(self) -> str:
        """The heading and every line of the tree (unfolded), as the reviewer reads them."""
        lines = [str(self.query_one("#synthesis-heading", Static).render())]

        def walk(node: TreeNode, depth: int) -> None:
            for child in node.children:
                lines.append("  " * depth + str(child.label))
                walk(child, depth + 1)

        walk(self.tree.root, 0)
        return "\n".join(lines)

    # --- building -----------------------------------------------------------------------------
    def rebuild(self) -> None:
        """Read the synthesis again and show it, keeping the cursor on what it was on."""
        s = self.session
        with self.app.guarded(reading=True) as guard:
            self.groups = translating.synthesis_groups(s)
        if guard.failed:
            return
        tree = self.tree
        kept = tree.cursor_node.data if tree.cursor_node is not None else None
        concepts = [c for g in self.groups for c in g.concepts]
        related = sum(len(c.relations) for c in concepts)
        heading = Text()
        heading.append("Synthesis", Style(bold=True))
        overarching = sum(1 for g in self.groups if g.overarching is not None)
        heading.append(f" · {overarching} overarching and {len(concepts)} other third-order constructs, "
                       f"{related} relation{'' if related == 1 else 's'} · "
                       f"{'every reviewer’s' if s.show_all else 'your'} codings and judgements · "
                       "m: the line of argument", Style(dim=True))
        self.query_one("#synthesis-heading", Static).update(heading)
        tree.clear()
        for group in self.groups:
            top = Text()
            if group.overarching is not None:
                top.append_text(order_badge(3))
                top.append(f" {group.overarching.name}", Style(bold=True))
            else:
                top.append("under no overarching construct", Style(italic=True))
            top.append(f"  studies: {_studies(group.contributing)}", Style(dim=True))
            gnode = tree.root.add(top, data=("group", group.overarching.id if group.overarching else None),
                                  expand=True)
            for concept in group.concepts:
                line = Text()
                line.append_text(order_badge(3))
                line.append(f" {concept.node.name}")
                line.append(f"  contributing: {_studies(concept.contributing)}", Style(dim=True))
                if concept.refuting:
                    line.append(f"  refuting: {_studies(concept.refuting)}", Style(color="#e06c75"))
                cnode = gnode.add(line, data=("concept", concept.node.id), expand=True,
                                  allow_expand=bool(concept.relations or concept.second_order))
                for relation in concept.relations:
                    words = Text(f"→ {RELATION_WORDS[relation.kind]} ", Style(bold=True))
                    words.append(relation.to_name)
                    if relation.note:
                        words.append(f"  ({relation.note})", Style(dim=True))
                    cnode.add_leaf(words, data=("relation", relation.id, concept.node.id))
                for expressed in concept.second_order:
                    item = Text()
                    item.append_text(order_badge(2))
                    item.append(f" {expressed.node.name}")
                    item.append(f"  ({_studies(expressed.studies)})", Style(dim=True))
                    cnode.add_leaf(item, data=("second", expressed.node.id))
        if not self.groups:
            tree.root.add_leaf(Text("No third-order constructs yet: add one with c (order 3) or `workbench "
                                    "construct`", style="dim italic"), data=None)
        self.call_after_refresh(self._put_cursor, kept)

    def _put_cursor(self, kept) -> None:
        tree = self.tree
        for line in range(tree.last_line + 1):
            node = tree.get_node_at_line(line)
            if node is not None and node.data == kept:
                tree.move_cursor(node)
                return
        first = next((n for n in (tree.get_node_at_line(i) for i in range(tree.last_line + 1))
                      if n is not None and n.data and n.data[0] == "concept"), None)
        if first is not None:  # where r, x and enter work
            tree.move_cursor(first)
        elif tree.cursor_line < 0 and tree.last_line >= 0:
            tree.cursor_line = 0

    # --- what the cursor is on ------------------------------------------------------------------
    def _concept(self) -> int | None:
        """The third-order construct at the cursor (on a relation or a second-order line: its own)."""
        node = self.tree.cursor_node
        data = node.data if node is not None else None
        if data and data[0] == "concept":
            return data[1]
        if data and data[0] == "relation":
            return data[2]
        if data and data[0] == "second" and node.parent is not None and node.parent.data:
            return node.parent.data[1]
        if data and data[0] == "group" and data[1] is not None:
            self.app.notify("Put the cursor on a third-order construct under it: relations join those.",
                            severity="warning", markup=False)
            return None
        self.app.notify("Put the cursor on a third-order construct first.", severity="warning", markup=False)
        return None

    def _construct_name(self, construct_id: int) -> str:
        c = self.session.constructs.get(construct_id)
        return c.name if c else "?"

    # --- actions ------------------------------------------------------------------------------
    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        event.stop()
        data = event.node.data
        if data and data[0] in ("concept", "second"):
            self._spans_flow(data[1])
        elif data and data[0] == "group":
            event.node.toggle()

    def action_spans(self) -> None:
        node = self.tree.cursor_node
        if node is not None and node.data and node.data[0] in ("concept", "second"):
            self._spans_flow(node.data[1])
        elif node is not None:
            node.toggle()

    @work(exclusive=True, group="dialog")
    async def _spans_flow(self, construct_id: int) -> None:
        s = self.session
        with self.app.guarded(reading=True) as guard:
            spans = translating.rolled_spans(s, construct_id)
            shown = translating.construct(s, construct_id)
        if guard.failed:
            return
        chosen = await self.app.push_screen_wait(SpansScreen(shown, spans,
                                                             "every reviewer's" if s.show_all else "yours"))
        if chosen is not None:
            self.app.go_to_span(chosen.study_id, chosen.start, chosen.end)

    def action_relate(self) -> None:
        concept = self._concept()
        if concept is not None:
            self._relate_flow(concept)

    @work(exclusive=True, group="dialog")
    async def _relate_flow(self, from_id: int) -> None:
        name = self._construct_name(from_id)
        kinds = [(i, f"“{name}” {RELATION_WORDS[k]} …") for i, k in enumerate(RELATION_KINDS)]
        kind = await self.app.push_screen_wait(ChooseScreen(kinds, title="Which relation?"))
        if kind is None:
            return
        others = [(c.node.id, c.node.name) for g in self.groups for c in g.concepts if c.node.id != from_id]
        if not others:
            self.app.notify("There is no other third-order construct to relate it to.", severity="warning",
                            markup=False)
            return
        to_id = await self.app.push_screen_wait(ChooseScreen(
            others, title=f"“{name}” {RELATION_WORDS[RELATION_KINDS[kind]]} which construct?"))
        if to_id is None:
            return
        with self.app.guarded("Not related") as guard:
            made = translating.relate(self.session, from_id, RELATION_KINDS[kind], to_id)
        if guard.failed:
            return
        self.rebuild()
        self.app.notify(f"Related: {made.words} (u undoes).", markup=False)

    def action_unrelate(self) -> None:
        node = self.tree.cursor_node
        if node is not None and node.data and node.data[0] == "relation":
            self._unrelate(node.data[1])
            return
        concept = self._concept()
        if concept is not None:
            self._unrelate_flow(concept)

    @work(exclusive=True, group="dialog")
    async def _unrelate_flow(self, concept_id: int) -> None:
        found = next((c.relations for g in self.groups for c in g.concepts if c.node.id == concept_id), [])
        if not found:
            self.app.notify(f"“{self._construct_name(concept_id)}” has no relations to remove.", severity="warning",
                            markup=False)
            return
        chosen = await self.app.push_screen_wait(ChooseScreen([(r.id, r.words) for r in found],
                                                              title="Remove which relation?"))
        if chosen is not None:
            self._unrelate(chosen)

    def _unrelate(self, relation_id: int) -> None:
        with self.app.guarded("Not removed") as guard:
            gone = translating.unrelate(self.session, relation_id)
        if guard.failed:
            return
        self.rebuild()
        self.app.notify(f"Removed: {gone.words} (u undoes).", markup=False)

    def action_narrative(self) -> None:
        self.app.action_project_memo()

    def action_toggle_view(self) -> None:
        self.app.coding_screen.action_toggle_view()
        self.rebuild()

    def action_close(self) -> None:
        self.app.pop_screen()
