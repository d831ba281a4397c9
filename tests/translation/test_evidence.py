"""A cell's evidence and the spans rolled up along links and the hierarchy (what the tree's `j` on a
third-order construct shows): through the store functions the screens call."""
from translation.review import AMES, BELL, COLE

from workbench.store.project import Project
from workbench.store.translation import cell_evidence, spans_rolled_up


def by_name(project, name):
    from workbench.store.constructs import by_name as find
    return find(project.db, name).id


def test_cell_evidence_lists_each_quote_with_its_chain(judged):
    with Project.open(judged) as project:
        alice = project.reviewer_id("alice")
        evidence = cell_evidence(project.db, by_name(project, "Family first"), BELL, alice)
    assert (evidence.concept.name, evidence.study.label) == ("Family first", "Bell 2005")
    assert [(s.span.exact, s.order, s.span.reviewer, s.chain, s.reached) for s in evidence.spans] == [
        ("Doctors came home to care for family.", 2, "alice", "Family first ← Pull of family",
         "via 'Pull of family' (interprets)"),
        ("I missed my mother", 1, "alice", "Family first ← Pull of family ← missed my mother",
         "via 'Pull of family' (interprets, supports)"),
        ("I missed my mother", 1, "alice", "Family first ← Pull of family ← missed my mother",
         "via 'Pull of family' (interprets, supports)"),
        # reached through both second-order constructs; listed once, by the shortest chain found first
        # (steps by kind, then by the construct made first: Pull of family)
        ("My parents were getting old.", 1, "alice", "Family first ← Pull of family ← parents getting old",
         "via 'Pull of family' (interprets, supports)"),
    ]
    assert [(j.reviewer, j.kind, j.note) for j in evidence.judgements] == [("alice", "reciprocal", "same pull of family")]


def test_evidence_of_every_reviewer(judged):
    with Project.open(judged) as project:
        evidence = cell_evidence(project.db, by_name(project, "Family first"), COLE)
    assert [(s.span.exact, s.span.reviewer) for s in evidence.spans] == [("Family pulled them back.", "ben")]
    assert evidence.judgements == []


def test_spans_rolled_up_to_a_third_order_construct(review):
    with Project.open(review) as project:
        alice = project.reviewer_id("alice")
        spans = spans_rolled_up(project.db, by_name(project, "Career ambition"), alice)
        direct = spans_rolled_up(project.db, by_name(project, "Health system distrust"), alice)
        overarching = spans_rolled_up(project.db, by_name(project, "Personal growth"))
    # study order: Bell, Ames, Cole; the hierarchy counts like a link ("under")
    assert [(s.span.study_id, s.span.exact, s.steps, s.direct) for s in spans] == [
        (AMES, "There were no posts at home for me.", ("interprets", "under"), False),
        (COLE, "Training abroad was better than at home.", ("interprets",), False),
        (COLE, "Specialist posts drew them away.", ("interprets", "under"), False),
    ]
    assert [(s.span.exact, s.reached, s.direct) for s in direct] == [
        ("The health service could not be trusted.", "coded", True)]
    # an overarching construct rolls up everything under its constructs, every reviewer's
    assert len(overarching) == 9  # Family first 6 (ben's 1), Career ambition 3
    assert {s.path[1] for s in overarching} == {"Family first", "Career ambition"}


def test_rejudged_reads_one_cell_again_as_load_grid_would(review):
    from workbench.store.translation import judge, load_grid, rejudged

    with Project.open(review) as project:
        alice = project.reviewer_id("alice")
        family = by_name(project, "Family first")
        grid = load_grid(project.db, alice)
        judge(project.db, family, AMES, alice, "refutational", "pushed away")
        assert rejudged(project.db, grid, family, AMES, alice) == load_grid(project.db, alice)
        row = next(r for r in rejudged(project.db, grid, family, AMES, alice).rows if r.concept.id == family)
        assert (row.summary.refuting, row.summary.unjudged) == (1, 2)
