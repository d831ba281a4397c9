"""Acceptance: merging two constructs that carry codings of two reviewers keeps every coding, memo and
link; undo restores the state before, redo the state after, also after the project is reopened."""
import pytest
from restructure.restructure_support import code, construct, link, live, state

from workbench.core.constructs import ConstructError
from workbench.store import codings, restructure, undo
from workbench.store.memos import all_memos, set_memo
from workbench.store.project import Project

# these merges move other reviewers' codings: done as a lead who said so (issue 10's rule)
LEAD = {"lead": True, "touching_others": True}


@pytest.fixture
def two_reviewers(small_project):
    """'Pivotal experiences' (source) and 'Formative experiences' (target), both second-order, each
    coded by alice and ben, with memos on both and on codings, links to a first- and a third-order
    construct, and a first-order child under the source."""
    with Project.open(small_project) as project:
        db = project.db
        alice, ben = project.reviewer_id("alice"), project.reviewer_id("ben")
        top = construct(db, "Challenges of reintegration", 3, alice)
        source = construct(db, "Pivotal experiences", 2, alice, parent=top.name)
        target = construct(db, "Formative experiences", 2, ben)
        quote = construct(db, "Dissatisfaction with training", 1, alice, parent=source.name)
        family = construct(db, "Family first", 1, ben)
        ids = {"top": top.id, "source": source.id, "target": target.id, "quote": quote.id, "family": family.id}
        ids["link_family_source"] = link(db, family.id, source.id, "supports", ben)
        ids["link_family_target"] = link(db, family.id, target.id, "supports", ben)  # duplicate after the merge
        ids["link_source_top"] = link(db, source.id, top.id, "interprets", alice)
        ids["s_alice"] = code(db, 1, source.id, alice, "pivotal experiences").id
        ids["s_alice_2"] = code(db, 2, source.id, alice, "diaspora").id
        ids["s_ben"] = code(db, 1, source.id, ben, "dissatisfaction with the quality").id
        ids["t_alice_same"] = code(db, 1, target.id, alice, "pivotal experiences").id  # identical span
        ids["t_ben"] = code(db, 3, target.id, ben, "family trumps finances").id
        removed = code(db, 1, source.id, ben, "Japanese IMG experience")
        codings.remove(db, removed.id, ben)
        ids["s_removed"] = removed.id
        set_memo(db, "construct", source.id, alice, "alice: pivotal moments come early")
        set_memo(db, "construct", source.id, ben, "ben: mostly about training")
        set_memo(db, "construct", target.id, alice, "alice: formative = shaping")
        set_memo(db, "coding", ids["s_alice"], ben, "ben on alice's span")
        set_memo(db, "coding", ids["s_alice"], alice, "alice on her source span")
        set_memo(db, "coding", ids["t_alice_same"], alice, "alice on her target span")
        set_memo(db, "project", None, alice, "project memo")
        yield project, ids


def test_merge_keeps_every_coding_memo_and_link(two_reviewers):
    project, ids = two_reviewers
    db = project.db
    alice, ben = project.reviewer_id("alice"), project.reviewer_id("ben")
    coding_ids = {r[0] for r in db.execute("SELECT id FROM coding")}
    memo_texts = [m.text for m in all_memos(db)]

    report = restructure.merge(db, ids["source"], ids["target"], alice, **LEAD)

    # every coding row is still there, same ids; the source's are now the target's
    assert {r[0] for r in db.execute("SELECT id FROM coding")} == coding_ids
    for key in ("s_alice", "s_alice_2", "s_ben", "s_removed"):
        assert db.execute("SELECT construct_id FROM coding WHERE id = ?", [ids[key]]).fetchone()[0] == ids["target"]
    assert sorted(report.codings_moved) == sorted([ids["s_alice"], ids["s_alice_2"], ids["s_ben"], ids["s_removed"]])
    # alice's identical span is not duplicated: her source coding is marked removed and reported
    assert report.collapsed == [(ids["s_alice"], ids["t_alice_same"])]
    live_codings = db.execute("SELECT reviewer_id, count(*) FROM coding WHERE construct_id = ? AND removed_at IS NULL "
                              "GROUP BY reviewer_id ORDER BY reviewer_id", [ids["target"]]).fetchall()
    assert live_codings == [(alice, 2), (ben, 2)]
    assert report.live_by_reviewer == {alice: 1, ben: 1}
    # every memo's text is still live: moved, or appended to the same reviewer's memo on the target
    live_text = "\n".join(m.text for m in all_memos(db))
    assert all(text in live_text for text in memo_texts)
    on_target = {m.reviewer: m.text for m in all_memos(db, "construct")}
    assert on_target == {"alice": "alice: formative = shaping\n\n[from Pivotal experiences] alice: pivotal moments come early",
                         "ben": "ben: mostly about training"}
    on_kept = {m.reviewer: m.text for m in all_memos(db, "coding") if m.target_id == ids["t_alice_same"]}
    assert on_kept == {"alice": "alice on her target span\n\n[from the same span coded 'Pivotal experiences'] "
                                "alice on her source span",
                       "ben": "ben on alice's span"}
    # links: re-pointed to the target; the one the target already had is dropped (and reported)
    links = db.execute("SELECT from_id, to_id, kind FROM construct_link ORDER BY id").fetchall()
    assert sorted(links) == sorted([(ids["family"], ids["target"], "supports"),
                                    (ids["target"], ids["top"], "interprets")])
    assert report.links_dropped == [(ids["family"], ids["source"], "supports")]
    # the child moved under the target; the source is gone
    assert db.execute("SELECT parent_id FROM construct WHERE id = ?", [ids["quote"]]).fetchone()[0] == ids["target"]
    assert db.execute("SELECT count(*) FROM construct WHERE id = ?", [ids["source"]]).fetchone()[0] == 0
    event = db.execute("SELECT action, reviewer_id FROM event ORDER BY id DESC LIMIT 1").fetchone()
    assert event == ("construct.merge", alice)


def test_undo_restores_the_state_before_and_redo_the_state_after(two_reviewers):
    project, ids = two_reviewers
    db = project.db
    alice = project.reviewer_id("alice")
    before = state(db)
    restructure.merge(db, ids["source"], ids["target"], alice, **LEAD)
    after = state(db)
    assert after != before

    result = undo.undo(db, alice)
    assert result.action == "construct.merge" and not result.redone
    assert result.description == "merging 'Pivotal experiences' into 'Formative experiences'"
    assert set(result.study_ids) == {1, 2} and ids["source"] in result.construct_ids
    assert state(db) == before

    result = undo.redo(db, alice)
    assert result.redone and state(db) == after
    assert undo.undo(db, alice).action == "construct.merge"
    assert state(db) == before


def test_undo_and_redo_work_after_the_project_is_reopened(two_reviewers, small_project):
    project, ids = two_reviewers
    alice = project.reviewer_id("alice")
    before = state(project.db)
    restructure.merge(project.db, ids["source"], ids["target"], alice, **LEAD)
    after = state(project.db)
    project.close()

    with Project.open(small_project) as reopened:
        assert undo.undo(reopened.db, alice).action == "construct.merge"
        assert state(reopened.db) == before
    with Project.open(small_project) as reopened:
        assert undo.redo(reopened.db, alice).action == "construct.merge"
        assert state(reopened.db) == after


def test_undo_refuses_when_later_work_would_be_clobbered(two_reviewers):
    project, ids = two_reviewers
    db = project.db
    alice, ben = project.reviewer_id("alice"), project.reviewer_id("ben")
    restructure.merge(db, ids["source"], ids["target"], alice, **LEAD)
    other = construct(db, "Turning points", 2, ben)
    restructure.merge(db, ids["target"], other.id, ben, **LEAD)  # ben merges on: alice's codings moved again
    frozen = state(db)
    with pytest.raises(undo.UndoError, match=r"cannot undo merging 'Pivotal experiences' into 'Formative "
                                             r"experiences': 'Formative experiences' no longer exists"):
        undo.undo(db, alice)
    assert state(db) == frozen
    # ben undoes his merge first; then alice's undo goes through
    undo.undo(db, ben)
    assert undo.undo(db, alice).action == "construct.merge"
    assert db.execute("SELECT name FROM construct WHERE id = ?", [ids["source"]]).fetchone()[0] == "Pivotal experiences"


def test_merge_refusals_write_nothing(two_reviewers):
    project, ids = two_reviewers
    db = project.db
    alice = project.reviewer_id("alice")
    other = construct(db, "Other third", 3, alice).id
    before = state(db), db.execute("SELECT count(*) FROM event").fetchone()
    with pytest.raises(ConstructError, match="'Pivotal experiences' is second-order and 'Family first' is "
                                             "first-order: merging would change the order of its codings"):
        restructure.merge(db, ids["source"], ids["family"], alice, **LEAD)
    with pytest.raises(ConstructError, match="into itself"):
        restructure.merge(db, ids["source"], ids["source"], alice, **LEAD)
    with pytest.raises(ConstructError, match="cannot merge 'Challenges of reintegration' into 'Pivotal "
                                             "experiences', which sits under it"):
        restructure.merge(db, ids["top"], ids["source"], alice, allow_order_change=True, **LEAD)
    # with the order change allowed, every link that would join the wrong orders is named
    with pytest.raises(ConstructError) as refused:
        restructure.merge(db, ids["source"], other, alice, allow_order_change=True, **LEAD)
    assert str(refused.value) == (
        "cannot merge 'Pivotal experiences' into 'Other third' (third-order): the link 'Family first' supports "
        "'Other third' would join first-order to third-order; the link 'Other third' interprets 'Challenges of "
        "reintegration' would join third-order to third-order")
    assert (state(db), db.execute("SELECT count(*) FROM event").fetchone()) == before


def test_preview_merge_writes_nothing_and_matches_the_merge(two_reviewers):
    project, ids = two_reviewers
    db = project.db
    before = state(db)
    alice = project.reviewer_id("alice")
    preview = restructure.preview_merge(db, ids["source"], ids["target"], reviewer_id=alice, **LEAD)
    assert state(db) == before and preview.event_id is None
    done = restructure.merge(db, ids["source"], ids["target"], alice, **LEAD)
    assert (preview.codings_moved, preview.collapsed, preview.links_dropped, preview.memos_combined) == (
        done.codings_moved, done.collapsed, done.links_dropped, done.memos_combined)
    assert live(db)["coding"]  # sanity: codings still live
