"""SVG snapshots of the main screens at 80x24 and 120x40 (pytest-textual-snapshot).

The project is built in a temporary directory through the CLI, as a reviewer would build it:
``workbench init`` with a fixed title, ``workbench import`` of three short texts written here,
``workbench code`` with constructs of all three orders, statuses and memos. Nothing on these
screens depends on the time or on the temporary path, so the snapshots are the same on every
machine and run.

After a change to what a screen shows, regenerate and look at the SVGs before committing them:
``pytest tests/snapshots --snapshot-update``.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import keys_for, wait_until

from workbench.cli import main
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.constructs import ConstructsScreen
from workbench.tui.screens.duplicates import DuplicatesScreen
from workbench.tui.screens.help import HelpScreen
from workbench.tui.screens.memo import MemoScreen
from workbench.tui.screens.picker import ConstructPicker
from workbench.tui.screens.search import SearchScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]

MORI = """\
Background: Doctors who trained abroad often return to practise at home. We interviewed twenty \
returning physicians about their first year back in a regional hospital.

Findings: Participants described the return as a turning point. "I felt my training was wasted \
here; nobody asked what I had learned," said one surgeon. Others spoke of family ties that \
outweighed a higher salary abroad. Several found the hospital hierarchy slow to accept new methods.

Conclusions: Returning doctors bring skills that local systems rarely use. Structured \
reintegration programmes could keep them in practice.
"""

OKAFOR = """\
Background: Health systems lose doctors to emigration, yet some come back.

Methods: We surveyed diaspora physicians who had worked at home again for at least a year.

Results: Most returned for their parents and children rather than for pay. Many said their \
training abroad was neither recognised nor used, and half thought of leaving again.
"""

LINDQVIST = """\
This commentary asks what a health system owes the doctors it trained when they come home, and \
what it would take to keep them.
"""

STUDIES = [  # file, text, title, author, year
    ("mori2018.txt", MORI, "Coming home to practise: returning doctors in a regional hospital", "Mori, Keiko", 2018),
    ("okafor2019.txt", OKAFOR, "Why doctors come back: a survey of returning physicians", "Okafor, Ada", 2019),
    ("lindqvist2021.txt", LINDQVIST, "What we owe the doctors who come home", "Lindqvist, Per", 2021),
]


def cli(capsys, *argv) -> str:
    """Run ``workbench ARGV`` in-process; its stdout (the test fails if it is refused)."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def code(capsys, project: Path, study: int, text: str, phrase: str, construct: str, reviewer: str = "alice",
         order: int | None = None, parent: str | None = None) -> int:
    """Code ``phrase`` (its first occurrence in ``text``) with ``construct``; the coding's id."""
    start = text.index(phrase)
    extra = [*(["--order", order] if order else []), *(["--parent", parent] if parent else []),
             "--all-reviewers"]  # ben codes with constructs alice made while coding: not blind
    out = cli(capsys, "code", project, "--study", study, "--start", start, "--end", start + len(phrase),
              "--construct", construct, "--reviewer", reviewer, *extra, "--json")
    return json.loads(out)["id"]


@pytest.fixture
def project(tmp_path, capsys) -> Path:
    """Three studies (2018 with codings of all three orders, overlapping; 2019 done; 2021 to do),
    constructs nested by order, ben's codings too (hidden in blind mode), memos by both."""
    root = tmp_path / "review"
    cli(capsys, "init", root, "--title", "Snapshot review", "--question", "Why do doctors come home?",
        "--reviewer", "alice", "--reviewer", "ben")
    for name, text, title, author, year in STUDIES:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        cli(capsys, "import", root, path, "--title", title, "--authors", author, "--year", year)
    # study 1 (Mori 2018): third-, second- and first-order codings, the first-order one inside a
    # second-order one (an overlap)
    code(capsys, root, 1, MORI, "Returning doctors bring skills that local systems rarely use.",
         "Reintegration challenges", order=3)
    code(capsys, root, 1, MORI, "local systems rarely use", "Wasted skills", order=3,
         parent="Reintegration challenges")
    code(capsys, root, 1, MORI, 'Participants described the return as a turning point. "I felt my training was '
         'wasted here; nobody asked what I had learned," said one surgeon.', "Pivotal experiences", order=2)
    quote = code(capsys, root, 1, MORI, "I felt my training was wasted here; nobody asked what I had learned",
                 "Training wasted at home", order=1, parent="Pivotal experiences")
    code(capsys, root, 1, MORI, "family ties that outweighed a higher salary abroad", "Family over finances", order=2)
    code(capsys, root, 1, MORI, "the hospital hierarchy slow to accept new methods", "Pivotal experiences",
         reviewer="ben")
    # study 2 (Okafor 2019)
    code(capsys, root, 2, OKAFOR, "Most returned for their parents and children rather than for pay.",
         "Family over finances")
    code(capsys, root, 2, OKAFOR, "training abroad was neither recognised nor used", "Wasted skills")
    code(capsys, root, 2, OKAFOR, "half thought of leaving again", "Reintegration challenges", reviewer="ben")
    cli(capsys, "status", root, "--study", 1, "--reviewer", "alice", "--set", "doing")
    cli(capsys, "status", root, "--study", 2, "--reviewer", "alice", "--set", "done")
    cli(capsys, "memo", "set", root, "--coding", quote, "--reviewer", "alice", "--text",
        "The clearest in vivo statement of wasted training.")
    cli(capsys, "memo", "set", root, "--study", 1, "--reviewer", "alice", "--text",
        "Return as a turning point; compare with Okafor on family.")
    cli(capsys, "memo", "set", root, "--study", 1, "--reviewer", "ben", "--text",
        "The hierarchy theme recurs: check the other hospital studies.")
    cli(capsys, "memo", "set", root, "--construct", "Pivotal experiences", "--reviewer", "alice", "--text",
        "Moments the participants name as changing their course.")
    return root


@pytest.fixture
def app(project):
    """The workbench opened on the project as alice (closed after the test)."""
    made = WorkbenchApp(project, "alice")
    made.theme = "textual-dark"  # Textual's default, unless TEXTUAL_THEME says otherwise
    yield made
    made.session.close()


async def cursor_in_quote(pilot) -> None:
    """Put the cursor inside the first-order quote, where two codings overlap."""
    view = pilot.app.coding_screen.text_view
    view.move_to_offset(MORI.index("training was wasted"))
    await wait_until(pilot, lambda: "Training wasted at home" in pilot.app.coding_screen.at_cursor.plain,
                     "the at-cursor panel to show the quote's codings")


async def open_screen(pilot, keys: list[str], screen_type: type, what: str) -> None:
    await pilot.press(*keys)
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, screen_type), what)


@pytest.mark.parametrize("size", SIZES)
def test_coding_screen(snap_compare, app, size):
    """The coding screen: the top line (reviewer, blind, status, legend), the study list (three
    statuses; folded away at 80x24), the 2018 study open with codings of all three orders highlighted, the cursor on an overlap (two codings at the cursor, one with a
    memo), the constructs panel."""
    assert snap_compare(app, terminal_size=size, run_before=cursor_in_quote)


@pytest.fixture
def overlaps_app(project, capsys):
    """The snapshot project with more overlaps in the 2018 study: alice's third-order coding over
    the end of her second-order theme and the start of her first-order quote inside it (all three
    orders on "I felt my training"), and ben's second-order coding over "Others spoke of family
    ties" (alice's theme is on "family ties" too). Opened as alice."""
    code(capsys, project, 1, MORI, 'the return as a turning point. "I felt my training', "Reintegration challenges")
    code(capsys, project, 1, MORI, "Others spoke of family ties", "Family over finances", reviewer="ben")
    made = WorkbenchApp(project, "alice")
    made.theme = "textual-dark"
    yield made
    made.session.close()


@pytest.mark.parametrize("size", SIZES)
def test_coding_screen_overlaps(snap_compare, overlaps_app, size):
    """The coding screen with every reviewer's codings shown (v): overlapping codings of all three
    orders (amber behind, teal and violet underlined text by turns), a quote in a theme, ben's
    coding in italic, bold where alice coded the same words; the cursor on the three orders."""
    async def run_before(pilot):
        await pilot.press("v")
        await wait_until(pilot, lambda: pilot.app.screen.query("Toast"), "v's toast")
        pilot.app.clear_notifications()
        await wait_until(pilot, lambda: not pilot.app.screen.query("Toast"), "the toast to go")
        view = pilot.app.coding_screen.text_view
        view.move_to_offset(MORI.index("felt my"))
        await wait_until(pilot, lambda: "Reintegration challenges" in pilot.app.coding_screen.at_cursor.plain,
                         "the at-cursor panel to show the three codings")

    assert snap_compare(overlaps_app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_constructs_tree(snap_compare, app, size):
    """The constructs tree (k): constructs nested by order with alice's counts (blind), a memo mark."""
    async def run_before(pilot):
        await open_screen(pilot, ["k"], ConstructsScreen, "the constructs tree")

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_construct_picker(snap_compare, app, size):
    """The construct picker over a selection, filtered by "fam": the match, and "+ new construct"."""
    async def run_before(pilot):
        start = MORI.index("Others spoke")
        pilot.app.coding_screen.text_view.select_offsets(start, start + len("Others spoke of family ties"))
        await open_screen(pilot, ["c"], ConstructPicker, "the construct picker")
        pilot.app.screen.query_one("#query").cursor_blink = False  # the snapshot must not catch a blink
        await pilot.press(*keys_for("fam"))
        picker = pilot.app.screen
        await wait_until(pilot, lambda: picker.query_text == "fam" and "new" in picker.option_ids,
                         "the picker to filter")

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_help_screen(snap_compare, app, size):
    """The help screen (?): every key, by where it works."""
    async def run_before(pilot):
        await open_screen(pilot, ["question_mark"], HelpScreen, "the help screen")

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_search_screen(snap_compare, app, size):
    """Search (/) for "training": hits (stemmed, so "trained" too) in the three studies and in a
    memo, keyword in context."""
    async def run_before(pilot):
        await open_screen(pilot, ["slash"], SearchScreen, "the search screen")
        await pilot.press(*keys_for("training"))
        search = pilot.app.screen
        await wait_until(pilot, lambda: search.searched == "training",
                         "the hits for 'training'")

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_memo_editor(snap_compare, app, size):
    """The memo editor on alice's memo on the 2018 study (M), every reviewer's work shown (v), so
    ben's memo on it is shown above the editor."""
    async def run_before(pilot):
        await pilot.press("v")
        # v says "Showing every reviewer's work: ..." in a toast that goes after a few seconds:
        # whether the snapshot caught it would depend on the machine's speed
        await wait_until(pilot, lambda: pilot.app.screen.query("Toast"), "v's toast")
        pilot.app.clear_notifications()
        await wait_until(pilot, lambda: not pilot.app.screen.query("Toast"), "the toast to go")
        await open_screen(pilot, ["M"], MemoScreen, "the memo editor")

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_duplicates_review(snap_compare, project, capsys, tmp_path, size):
    """The review of possible duplicates (palette): a second record of Okafor 2019 from another
    database, its title retyped, flagged beside the first, with the fields compared."""
    other = tmp_path / "scopus.ris"
    other.write_text("TY  - JOUR\nTI  - Why doctors come back - a survey of returning physician\nAU  - Okafor A\n"
                     "PY  - 2019\nAB  - Diaspora physicians who worked at home again were surveyed.\nER  - \n",
                     encoding="utf-8")
    cli(capsys, "import", project, other)
    made = WorkbenchApp(project, "alice")
    made.theme = "textual-dark"

    async def run_before(pilot):
        pilot.app.action_review_duplicates()
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, DuplicatesScreen), "the duplicates review")

    try:
        assert snap_compare(made, terminal_size=size, run_before=run_before)
    finally:
        made.session.close()


@pytest.fixture
def linked(project, capsys) -> Path:
    """The project with the second-order constructs linked to third-order ones, a second
    third-order construct under the overarching one, and a relation between the two."""
    code(capsys, project, 2, OKAFOR, "rather than for pay", "Family before pay", order=3,
         parent="Reintegration challenges")
    cli(capsys, "construct", "link", project, "Pivotal experiences", "interprets", "Wasted skills", "--reviewer", "alice")
    cli(capsys, "construct", "link", project, "Family over finances", "interprets", "Family before pay",
        "--reviewer", "alice")
    cli(capsys, "relate", project, "Family before pay", "contrasts-with", "Wasted skills", "--note",
        "staying for family, leaving for the work", "--reviewer", "alice")
    return project


@pytest.mark.parametrize("size", SIZES)
def test_juxtaposition_screen(snap_compare, linked, size):
    """J: each study's key concepts in study order (alice's, blind): second-order constructs with the
    first-order ones under them and counts."""
    from workbench.tui.screens.concepts import ConceptsScreen

    made = WorkbenchApp(linked, "alice")
    made.theme = "textual-dark"

    async def run_before(pilot):
        await open_screen(pilot, ["J"], ConceptsScreen, "the juxtaposition screen")

    try:
        assert snap_compare(made, terminal_size=size, run_before=run_before)
    finally:
        made.session.close()


def translated(project, capsys) -> WorkbenchApp:
    """The project with "Pivotal experiences" interpreting "Wasted skills" and alice's judgements
    of both studies for it (one with a note), opened as alice."""
    cli(capsys, "construct", "link", project, "Pivotal experiences", "interprets", "Wasted skills",
        "--reviewer", "alice")
    cli(capsys, "translate", project, "--concept", "Wasted skills", "--study", 1, "--as", "reciprocal",
        "--note", "the surgeon's wasted training", "--reviewer", "alice")
    cli(capsys, "translate", project, "--concept", "Wasted skills", "--study", 2, "--as", "refutational",
        "--reviewer", "alice")
    made = WorkbenchApp(project, "alice")
    made.theme = "textual-dark"
    return made


@pytest.mark.parametrize("size", SIZES)
def test_translation_grid(snap_compare, project, capsys, size):
    """The translation grid (g): "Wasted skills" under "Reintegration challenges", Mori 2018
    reciprocal with "Pivotal experiences" and its quote, Okafor 2019 refutational; the legend."""
    from workbench.tui.screens.grid import GridScreen

    made = translated(project, capsys)

    async def run_before(pilot):
        await open_screen(pilot, ["g"], GridScreen, "the translation grid")

    try:
        assert snap_compare(made, terminal_size=size, run_before=run_before)
    finally:
        made.session.close()


@pytest.mark.parametrize("size", SIZES)
def test_synthesis_screen(snap_compare, linked, size):
    """Y: the overarching construct over its third-order ones with contributing studies, the
    relation between them and the second-order constructs that express each."""
    from workbench.tui.screens.synthesis import SynthesisScreen

    made = WorkbenchApp(linked, "alice")
    made.theme = "textual-dark"

    async def run_before(pilot):
        await open_screen(pilot, ["Y"], SynthesisScreen, "the synthesis screen")

    try:
        assert snap_compare(made, terminal_size=size, run_before=run_before)
    finally:
        made.session.close()


@pytest.mark.parametrize("size", SIZES)
def test_cell_evidence(snap_compare, project, capsys, size):
    """The evidence of "Wasted skills" in Mori 2018 (enter in the grid): alice's judgement with its
    note, and the quotes reaching the concept, each with its link chain."""
    from workbench.tui.screens.evidence import EvidenceScreen
    from workbench.tui.screens.grid import GridScreen

    made = translated(project, capsys)

    async def run_before(pilot):
        await open_screen(pilot, ["g"], GridScreen, "the translation grid")
        await open_screen(pilot, ["enter"], EvidenceScreen, "the cell's evidence")

    try:
        assert snap_compare(made, terminal_size=size, run_before=run_before)
    finally:
        made.session.close()


def disagreeing(project, capsys) -> WorkbenchApp:
    """The project with ben's coding of Okafor 2019 beside alice's (his span of "Family over
    finances" shorter than hers; "Wasted skills" only hers, "Reintegration challenges" only his),
    the study marked done by both; opened as alice."""
    code(capsys, project, 2, OKAFOR, "returned for their parents and children", "Family over finances",
         reviewer="ben")
    cli(capsys, "status", project, "--study", 2, "--reviewer", "ben", "--set", "done")
    made = WorkbenchApp(project, "alice")
    made.theme = "textual-dark"
    return made


@pytest.mark.parametrize("size", SIZES)
def test_agreement_screen(snap_compare, project, capsys, size):
    """A: alice × ben, the study both marked done with its 3 open disagreements."""
    from workbench.tui.screens.agreement import AgreementScreen

    made = disagreeing(project, capsys)

    async def run_before(pilot):
        await open_screen(pilot, ["A"], AgreementScreen, "the agreement screen")
        await wait_until(pilot, lambda: pilot.app.screen.reads, "the measures read")

    try:
        assert snap_compare(made, terminal_size=size, run_before=run_before)
    finally:
        made.session.close()


@pytest.mark.parametrize("size", SIZES)
def test_study_disagreements(snap_compare, project, capsys, size):
    """Enter on Okafor 2019: "Family over finances" side by side, alice's span shaded with the
    words only she coded underlined, ben's shorter span beside it; the keys to decide."""
    from workbench.tui.screens.agreement import AgreementScreen, StudyAgreementScreen

    made = disagreeing(project, capsys)

    async def run_before(pilot):
        await open_screen(pilot, ["A"], AgreementScreen, "the agreement screen")
        await wait_until(pilot, lambda: pilot.app.screen.reads, "the studies read")
        await open_screen(pilot, ["enter"], StudyAgreementScreen, "the study's disagreements")

    try:
        assert snap_compare(made, terminal_size=size, run_before=run_before)
    finally:
        made.session.close()


@pytest.mark.parametrize("size", SIZES)
def test_alignment_screen(snap_compare, project, capsys, size):
    """Align reviewers' constructs (palette), after v: ben's own constructs, made coding blind,
    two proposed as alice's, one confirmed, one of each side's left unaligned, and the constructs
    both code with (shared)."""
    from workbench.tui.screens.alignment import AlignmentScreen

    for study, text, phrase, name, order in (
            (2, OKAFOR, "Most returned for their parents and children", "Finances second to family", 2),
            (1, MORI, "local systems rarely use", "Skills left unused", 3),
            (2, OKAFOR, "training abroad was neither recognised nor used", "Training felt wasted", 1),
            (1, MORI, "Structured reintegration programmes", "Programmes to keep doctors", 3)):
        start = text.index(phrase)
        cli(capsys, "code", project, "--study", study, "--start", start, "--end", start + len(phrase),
            "--construct", name, "--order", order, "--reviewer", "ben")
    cli(capsys, "align", project, "--reviewers", "alice,ben", "--pair", "Training felt wasted=Training wasted at home")
    made = WorkbenchApp(project, "alice")
    made.theme = "textual-dark"

    async def run_before(pilot):
        pilot.app.action_align_constructs()
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, AlignmentScreen), "the alignment screen")
        await pilot.press("v")
        await wait_until(pilot, lambda: "Proposed" in pilot.app.screen.plain, "the proposal")
        await wait_until(pilot, lambda: not pilot.app.screen.query("Toast"), "the toast to go")

    try:
        assert snap_compare(made, terminal_size=size, run_before=run_before)
    finally:
        made.session.close()


@pytest.mark.parametrize("size", SIZES)
def test_orphaned_codings(snap_compare, project, capsys, tmp_path, size):
    """The orphaned codings (palette) after Mori 2018's text was replaced by a corrected one whose
    conclusions are reworded: alice's two codings there, each quote in its context, one with a best
    candidate below the fuzzy threshold."""
    from workbench.tui.screens.orphans import OrphansScreen

    corrected = tmp_path / "mori2018-corrected.txt"
    corrected.write_text(MORI.replace("Returning doctors bring skills that local systems rarely use.",
                                      "Returning physicians bring expertise that regional services seldom draw on."),
                         encoding="utf-8")
    cli(capsys, "reimport", project, "--study", 1, corrected, "--reviewer", "alice")
    made = WorkbenchApp(project, "alice")
    made.theme = "textual-dark"

    async def run_before(pilot):
        pilot.app.action_orphans()
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, OrphansScreen), "the orphaned codings")

    try:
        assert snap_compare(made, terminal_size=size, run_before=run_before)
    finally:
        made.session.close()
