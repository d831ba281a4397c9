"""Undo and redo of a codebook load: the constructs it added go, the fields and links it changed come
back as they were, and redo puts back exactly what the load wrote; a load whose constructs are in
use since is refused, writing nothing."""
from __future__ import annotations

from cb_helpers import CODEBOOKS
from support import dump, run
from test_yaml_codebooks import EDITED

from workbench.core.records import StudyRecord
from workbench.store import codings, undo
from workbench.store.constructs import by_name
from workbench.store.project import Project
from workbench.store.studies import add_studies

TABLES = ("construct", "construct_link", "coding", "memo")


def rows(project) -> dict[str, list[tuple]]:
    with Project.open(project) as p:
        return {t: p.db.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in TABLES}


def test_undo_and_redo_a_first_load_and_a_merging_load(new_project, tmp_path, capsys):
    project = new_project()
    empty = rows(project)
    code, out, _ = run(capsys, "codebook", "load", project, CODEBOOKS / "img-return-migration.yaml",
                       "--reviewer", "alice")
    assert code == 0 and out.endswith("`workbench undo --reviewer alice` takes the load back\n")
    first = rows(project)
    edited = tmp_path / "edited.yaml"
    edited.write_text(EDITED, encoding="utf-8")
    assert run(capsys, "codebook", "load", project, edited, "--reviewer", "alice")[0] == 0
    second = rows(project)
    assert second != first

    code, out, _ = run(capsys, "undo", project, "--reviewer", "alice")
    assert code == 0 and out.startswith("undid loading the codebook 'edited.yaml' (1 added, 2 changed)")
    assert rows(project) == first  # the colour, definition, when_to_use and link as they were; the new one gone
    code, out, _ = run(capsys, "undo", project, "--reviewer", "alice")
    assert out.startswith("undid loading the codebook 'img-return-migration.yaml' (23 added, 0 changed)")
    assert rows(project) == empty

    assert run(capsys, "redo", project, "--reviewer", "alice")[0] == 0
    assert rows(project) == first  # same ids, guids and links
    assert run(capsys, "redo", project, "--reviewer", "alice")[0] == 0
    assert rows(project) == second


def test_undo_refuses_while_a_loaded_construct_is_used_and_takes_its_removed_codings_along(
        new_project, capsys):
    project = new_project()
    run(capsys, "codebook", "load", project, CODEBOOKS / "img-return-migration.yaml", "--reviewer", "alice")
    with Project.open(project) as p:
        db, alice, ben = p.db, p.reviewer_id("alice"), p.reviewer_id("ben")
        add_studies(db, [StudyRecord(title="A study", text="Family first, always.", source_file="a.txt")])
        family = by_name(db, "Family trumps finances").id
        coding = codings.add(db, 1, family, ben, 0, 12)
    before = dump(project)
    code, _, err = run(capsys, "undo", project, "--reviewer", "alice")
    assert code == 1 and err.startswith(
        "workbench: error: cannot undo loading the codebook 'img-return-migration.yaml' (23 added, 0 changed): "
        "'Family trumps finances' has 1 live coding(s) now")
    assert dump(project) == before

    with Project.open(project) as p:
        db = p.db
        undo.undo(db, ben)  # ben takes his coding back: it is kept, marked removed
        undo.undo(db, alice)
        assert db.execute("SELECT count(*) FROM construct").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM coding").fetchone()[0] == 0  # its row is kept in the undo event
        undo.redo(db, alice)
        assert db.execute("SELECT id, exact, removed_at IS NOT NULL FROM coding").fetchall() == [
            (coding.id, "Family first", 1)]
        assert by_name(db, "Family trumps finances").id == family


def test_a_load_without_a_reviewer_is_not_on_anyones_undo_stack(new_project, capsys):
    project = new_project()
    code, out, _ = run(capsys, "codebook", "load", project, CODEBOOKS / "meta-ethnography.yaml")
    assert code == 0 and "workbench undo" not in out
    code, out, err = run(capsys, "undo", project, "--reviewer", "alice")
    assert code == 1 and err == "workbench: error: nothing to undo for alice\n"
