"""Issue 12, item 4: the agreement screen (A) and adjudication into the consensus reviewer.

In the demo, alice and ben code Heist & Torok 2018 differently through the CLI and both mark it
done; alice opens the agreement screen, drills into the study and decides every disagreement with
a different decision; the consensus then appears in `workbench export matrix --reviewer consensus`
and in the consensus's translation grid. Undo takes a decision back and the disagreement is open
again."""
from __future__ import annotations

import csv
import json
import shutil

import pytest
from support import DEMO, SEED_001, keys_for, rows, run, wait_until

from workbench.cli import main
from workbench.core.text import canonicalise, decode
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.agreement import AgreementScreen, StudyAgreementScreen
from workbench.tui.screens.modals import InputScreen

SIZE = (120, 40)
HEIST = canonicalise(decode(SEED_001.read_bytes(), SEED_001.name))

ATYPICAL = "An atypical path of medical migration"
PIVOTAL = "Pivotal experiences"
TRAINING = "Training quality and career opportunities"
DESIRE = "Desire to improve Japanese clinical training"

# (reviewer, construct, phrase): each coded at the phrase's first place in the text
CODINGS = [
    # agreed: both code the same span
    ("alice", ATYPICAL, "A presumable exception to the above themes would be the Japanese IMG population"),
    ("ben", ATYPICAL, "A presumable exception to the above themes would be the Japanese IMG population"),
    # 1: overlapping, different spans (edited in the consensus, with another construct)
    ("alice", ATYPICAL, "Using a grounded theory approach"),
    ("ben", ATYPICAL, "grounded theory approach, we interviewed 19 Japanese IMGs"),
    # 2: alice's longer span is taken
    ("alice", PIVOTAL, "pivotal experiences that often include dissatisfaction with the quality of Japanese "
                       "clinical training and personal exposures to US clinical education"),
    ("ben", PIVOTAL, "pivotal experiences that often include dissatisfaction with the quality of Japanese "
                     "clinical training"),
    # 3: ben's shorter span is taken
    ("alice", TRAINING, "Further decision-making in the pursuit of US residency is influenced by educator "
                        "training quality, and clinical training and career opportunities"),
    ("ben", TRAINING, "influenced by educator training quality, and clinical training and career opportunities"),
    # 4: only alice coded it; neither is taken
    ("alice", DESIRE, "The desire to improve Japanese clinical training commonly influences career "
                      "decision-making after US training"),
    # 5: two overlapping spans; both are taken
    ("alice", ATYPICAL, "The Japanese IMG experience contrasts numerous perceptions"),
    ("ben", ATYPICAL, "numerous perceptions of international physician migration"),
]
EDITED = "we interviewed 19 Japanese IMGs working in the US"


def cli(capsys, *argv) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    return out


@pytest.fixture
def demo(tmp_path, capsys):
    """The demo, built as `make demo` builds it, with alice's and ben's codings and judgements of
    Heist 2018 (study 2), which both marked done."""
    project = tmp_path / "img-return-migration"
    shutil.copytree(DEMO, project, ignore=shutil.ignore_patterns("project.db*"))
    assert main(["build", str(project)]) == 0
    capsys.readouterr()
    assert json.loads(cli(capsys, "studies", project, "--json"))[0]["title"].startswith("Medical migration")
    for reviewer, construct, phrase in CODINGS:
        start = HEIST.index(phrase)
        cli(capsys, "code", project, "--study", 2, "--start", start, "--end", start + len(phrase),
            "--construct", construct, "--reviewer", reviewer)
    for reviewer, concept, kind in (("alice", "Family trumps finances", "reciprocal"),
                                    ("ben", "Family trumps finances", "refutational"),
                                    ("alice", "Reflections on personal development", "reciprocal"),
                                    ("ben", "Reflections on personal development", "reciprocal")):
        cli(capsys, "translate", project, "--concept", concept, "--study", 2, "--as", kind, "--reviewer", reviewer)
    for reviewer in ("alice", "ben"):
        cli(capsys, "status", project, "--study", 2, "--reviewer", reviewer, "--set", "done")
    return project


def consensus_rows(capsys, project, tmp_path) -> list[tuple[str, str, int, int]]:
    out = tmp_path / "consensus.csv"
    cli(capsys, "export", "matrix", project, "--reviewer", "consensus", "--format", "csv", "--out", out)
    with out.open(encoding="utf-8-sig", newline="") as f:
        return [(r["reviewer"], r["construct"], r["quote"], int(r["start"]), int(r["end"])) for r in csv.DictReader(f)]


def consensus_judgements(capsys, project) -> dict[str, list[str]]:
    grid = json.loads(cli(capsys, "grid", project, "--reviewer", "consensus", "--json"))
    return {row["concept"]: [j["kind"] for c in row["cells"] if c["study"] == 2 for j in c["judgements"]]
            for row in grid["rows"] if any(c["judgements"] for c in row["cells"])}


def at(phrase: str) -> tuple[int, int]:
    start = HEIST.index(phrase)
    return start, start + len(phrase)


async def test_adjudicating_the_demo_into_the_consensus(demo, capsys, tmp_path):
    app = WorkbenchApp(demo, "alice")
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("A")
            await wait_until(pilot, lambda: isinstance(app.screen, AgreementScreen) and app.screen.reads,
                             "the agreement screen, read")
            screen = app.screen
            title = str(screen.query_one("#agreement-title").render())
            assert "alice × ben" in title and "unit: character" in title and "6 open disagreements" in title
            assert str(screen.query_one("#agreement-status").render()).startswith("1 study both marked done")
            assert [str(c) for c in screen.table.get_row_at(0)] == ["Heist 2018", "6", "0"]
            # NVivo's measures per construct: only alice coded "Desire to improve ..." (109 of the
            # study's 2,200 characters): agreement (2200 - 109) / 2200 = 95.0 %, kappa 0
            rows_shown = {str(r[0]): [str(c) for c in r[1:]] for r in
                          (screen.constructs.get_row_at(i) for i in range(screen.constructs.row_count))}
            assert rows_shown[DESIRE] == ["0.000", "95.0%", "░" * 10]
            assert set(rows_shown) == {ATYPICAL, PIVOTAL, TRAINING, DESIRE}
            assert str(screen.query_one("#agreement-overall").render()).startswith("Overall ")
            await pilot.press("m")
            await wait_until(pilot, lambda: "unit: sentence" in str(screen.query_one("#agreement-title").render()),
                             "the sentence unit")
            assert [str(c.label) for c in screen.constructs.columns.values()][:3] == ["Construct", "Kripp. α", "Cohen κ"]

            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, StudyAgreementScreen), "the study's disagreements")
            study = app.screen

            def head() -> str:
                return str(study.query_one("#adjudicate-head").render())

            def side(which: str) -> str:
                return str(study.query_one(f"#text-{which}").render())

            # the first open disagreement, side by side: each reviewer's span over the same text
            assert head().startswith("1 of 6") and ATYPICAL in head() and "open" in head()
            s_a, e_a = at("Using a grounded theory approach")
            s_b, e_b = at("grounded theory approach, we interviewed 19 Japanese IMGs")
            assert side("a").startswith(f"[{s_a}, {e_a}) {ATYPICAL}\n")
            assert side("b").startswith(f"[{s_b}, {e_b}) {ATYPICAL}\n")
            assert "Methods: Using a grounded theory approach, we interviewed" in side("a")
            assert "Methods: Using a grounded theory approach, we interviewed" in side("b")

            # 1: edit the span (typed offsets) and its construct
            s_e, e_e = at(EDITED)
            await pilot.press("e")
            await wait_until(pilot, lambda: isinstance(app.screen, InputScreen), "the span's offsets asked for")
            await pilot.press(*keys_for(f"{s_e}-{e_e}"), "enter")
            await wait_until(pilot, lambda: isinstance(app.screen, InputScreen) and
                             app.screen.query_one("Input").value == ATYPICAL, "the construct asked for")
            await pilot.press(*keys_for(PIVOTAL), "enter")
            await wait_until(pilot, lambda: app.screen is study and PIVOTAL in head() and "2 of 6" in head(),
                             "the next disagreement")
            assert "5 open disagreements" in str(study.query_one("#adjudicate-title").render())
            # 2: take A (alice); 3: take B (ben); 4: neither; 5: both
            for key, construct in (("a", TRAINING), ("b", DESIRE), ("x", ATYPICAL), ("t", "Family trumps finances")):
                await pilot.press(key)
                await wait_until(pilot, lambda: construct in head(), f"the disagreement on {construct}")
            # 6: the translation judgements side by side; take ben's
            assert head().startswith("6 of 6") and "Judgement of" in head()
            assert side("a") == "reciprocal" and side("b") == "refutational"
            await pilot.press("b")
            await wait_until(pilot, lambda: "0 open disagreements" in str(study.query_one("#adjudicate-title").render()),
                             "every disagreement decided")
            assert "decided: took ben's" in head()

            # undo takes the last decision back: the judgement is open again; redo decides it again
            await pilot.press("u")
            await wait_until(pilot, lambda: "1 open disagreement" in str(study.query_one("#adjudicate-title").render()),
                             "the judgement open again")
            assert head().startswith("6 of 6") and head().endswith("open")
            assert [tuple(r) for r in rows(demo, "SELECT t.kind FROM translation t JOIN reviewer r ON "
                                                 "r.id = t.reviewer_id WHERE r.name = 'consensus'")] == [("reciprocal",)]
            await pilot.press("U")
            await wait_until(pilot, lambda: "0 open disagreements" in str(study.query_one("#adjudicate-title").render()),
                             "the judgement decided again")

            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, AgreementScreen) and app.screen.table.row_count
                             and [str(c) for c in app.screen.table.get_row_at(0)] == ["Heist 2018", "0", "6"],
                             "back to the studies, every disagreement decided")
    finally:
        app.session.close()

    def row(construct: str, phrase: str) -> tuple:
        return ("consensus", construct, phrase, *at(phrase))

    assert consensus_rows(capsys, demo, tmp_path) == [
        row(ATYPICAL, "A presumable exception to the above themes would be the Japanese IMG population"),
        row(PIVOTAL, EDITED),
        row(PIVOTAL, "pivotal experiences that often include dissatisfaction with the quality of Japanese clinical "
                     "training and personal exposures to US clinical education"),
        row(TRAINING, "influenced by educator training quality, and clinical training and career opportunities"),
        row(ATYPICAL, "The Japanese IMG experience contrasts numerous perceptions"),
        row(ATYPICAL, "numerous perceptions of international physician migration"),
    ]
    assert consensus_judgements(capsys, demo) == {"Family trumps finances": ["refutational"],
                                                  "Reflections on personal development": ["reciprocal"]}


async def test_the_palette_opens_the_agreement_screen_and_a_reopened_disagreement_shows(demo, capsys):
    """A decision stays with what it decided: when ben changes his coding afterwards, the
    disagreement is open again (as the CLI lists it too)."""
    listed = json.loads(cli(capsys, "adjudicate", demo, "--reviewers", "alice,ben", "--json"))
    pivotal = next(d for d in listed["disagreements"] if d["construct"] == PIVOTAL)
    cli(capsys, "adjudicate", demo, "--reviewers", "alice,ben", "--decide", pivotal["id"], "--take", "a",
        "--reviewer", "alice")
    assert json.loads(cli(capsys, "adjudicate", demo, "--reviewers", "alice,ben", "--json"))["open"] == 5
    cli(capsys, "uncode", demo, "--coding", pivotal["b"][0]["coding"], "--reviewer", "ben")
    again = json.loads(cli(capsys, "adjudicate", demo, "--reviewers", "alice,ben", "--json"))
    assert again["open"] == 6
    reopened = next(d for d in again["disagreements"] if d["construct"] == PIVOTAL)
    assert reopened["id"] != pivotal["id"] and reopened["b"] == []

    app = WorkbenchApp(demo, "alice")
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("ctrl+p")
            await pilot.press(*keys_for("Agreement between reviewers"))
            await pilot.pause()
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, AgreementScreen) and app.screen.reads,
                             "the agreement screen, read")
            assert [str(c) for c in app.screen.table.get_row_at(0)] == ["Heist 2018", "6", "0"]
    finally:
        app.session.close()
