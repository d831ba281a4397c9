"""A merge reads its plan without the write lock, so other processes go on coding meanwhile; what
they commit before the merge takes the lock is merged too (the plan is made again under the lock)."""
from __future__ import annotations

import importlib
import json

from workbench.store import codings, constructs
from workbench.store.project import Project
from workbench.store.restructure import merge

merge_module = importlib.import_module("workbench.store.restructure.merge")


def test_codings_committed_by_another_process_while_the_merge_plans_are_merged_too(small_project, monkeypatch):
    with Project.open(small_project) as project:
        alice, ben = project.reviewer_id("alice"), project.reviewer_id("ben")
        source = constructs.create(project.db, "Duty to the home country", 3, alice).id
        target = constructs.create(project.db, "Family over finances", 3, alice).id
        first = codings.add(project.db, 1, source, alice, 0, 10).id
        kept = codings.add(project.db, 2, target, ben, 5, 15).id
    late: list[int] = []
    plan = merge_module._plan_merge

    def plan_then_another_process_codes(db, *args, **kwargs):
        found = plan(db, *args, **kwargs)
        if not late:  # once, while the first plan is read: ben codes with the source in his own process
            with Project.open(small_project) as other:
                late.append(codings.add(other.db, 3, source, ben, 20, 30).id)
                late.append(codings.add(other.db, 2, source, ben, 5, 15).id)  # identical to `kept`
        return found

    monkeypatch.setattr(merge_module, "_plan_merge", plan_then_another_process_codes)
    with Project.open(small_project) as project:
        # ben's codings move: alice merges as a lead who said so (issue 10's rule)
        report = merge(project.db, source, target, alice, lead=True, touching_others=True)
        assert report.codings_moved == [first, *late]
        assert report.collapsed == [(late[1], kept)]
        rows = project.db.execute("SELECT id, construct_id, removed_at IS NOT NULL FROM coding ORDER BY id").fetchall()
        assert rows == [(first, target, 0), (kept, target, 0), (late[0], target, 0), (late[1], target, 1)]
        assert project.db.execute("SELECT count(*) FROM construct WHERE id = ?", [source]).fetchone()[0] == 0
        payload = json.loads(project.db.execute(
            "SELECT payload FROM event WHERE action = 'construct.merge'").fetchone()[0])
        assert payload["codings"] == [first, *late] and payload["collapsed"] == [[late[1], kept]]
