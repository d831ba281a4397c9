"""A small hand-made review for the translation view, built through the CLI as a reviewer would.

Three studies, imported in this order (ids 1, 2, 3), so the chronological order is Bell 2005 (2),
Ames 2010 (1), Cole 2015 (3). Constructs (codebook ``CODEBOOK``):

    Personal growth (3, overarching)
        Family first (3)            <- Pull of family (2) <- missed my mother (1), parents getting old (1)
                                    <- Duty to parents (2) <- parents getting old (1)
        Career ambition (3)         <- Better training abroad (2)
                                           under it: Specialist posts (2), no posts at home (1)
    Health system distrust (3)
    stray quote (1): under nothing

alice's codings: Bell: Pull of family, missed my mother x2, parents getting old, Health system
distrust; Ames: parents getting old, no posts at home, stray quote; Cole: Better training abroad,
Specialist posts. ben's: Cole: Pull of family.
"""
from __future__ import annotations

import csv
import io

import pytest
from support import run

TEXTS = {
    "Ames": "Ames interviewed returning doctors. My parents are getting old, one said. "
            "There were no posts at home for me. The weather was fine.",
    "Bell": "Doctors came home to care for family. I missed my mother every day. "
            "I missed my mother at night too. My parents were getting old. The health service could not be trusted.",
    "Cole": "Training abroad was better than at home. Specialist posts drew them away. Family pulled them back.",
}
STUDIES = [("Alpha: why doctors return", "Ames, Ann", 2010, "Ames"),
           ("Beta: coming home", "Bell, Bob", 2005, "Bell"),
           ("Gamma: training abroad", "Cole, Cy", 2015, "Cole")]
AMES, BELL, COLE = 1, 2, 3

CODEBOOK = """\
format: 1
title: Hand-made review
constructs:
  - name: Personal growth
    order: 3
  - name: Family first
    order: 3
    parent: Personal growth
  - name: Career ambition
    order: 3
    parent: Personal growth
  - name: Health system distrust
    order: 3
  - name: Pull of family
    order: 2
    links:
      - interprets: Family first
  - name: Duty to parents
    order: 2
    links:
      - interprets: Family first
  - name: Better training abroad
    order: 2
    links:
      - interprets: Career ambition
  - name: Specialist posts
    order: 2
    parent: Better training abroad
  - name: missed my mother
    order: 1
    links:
      - supports: Pull of family
  - name: parents getting old
    order: 1
    links:
      - supports: Pull of family
      - supports: Duty to parents
  - name: no posts at home
    order: 1
    parent: Better training abroad
  - name: stray quote
    order: 1
"""

# (reviewer, study, construct, the quoted words, which occurrence)
CODINGS = [
    ("alice", BELL, "Pull of family", "Doctors came home to care for family.", 0),
    ("alice", BELL, "missed my mother", "I missed my mother", 0),
    ("alice", BELL, "missed my mother", "I missed my mother", 1),
    ("alice", BELL, "parents getting old", "My parents were getting old.", 0),
    ("alice", BELL, "Health system distrust", "The health service could not be trusted.", 0),
    ("alice", AMES, "parents getting old", "My parents are getting old", 0),
    ("alice", AMES, "no posts at home", "There were no posts at home for me.", 0),
    ("alice", AMES, "stray quote", "The weather was fine.", 0),
    ("alice", COLE, "Better training abroad", "Training abroad was better than at home.", 0),
    ("alice", COLE, "Specialist posts", "Specialist posts drew them away.", 0),
    ("ben", COLE, "Pull of family", "Family pulled them back.", 0),
]


def ok(capsys, *argv) -> str:
    code, out, err = run(capsys, *argv)
    assert (code, err) == (0, ""), err
    return out


def span(study: int, words: str, occurrence: int) -> tuple[int, int]:
    text = TEXTS[STUDIES[study - 1][3]]
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(words, start + 1)
    return start, start + len(words)


@pytest.fixture
def review(tmp_path, capsys):
    """The hand-made review (no judgements yet); returns its directory."""
    root = tmp_path / "review"
    ok(capsys, "init", root, "--title", "Hand-made review", "--reviewer", "alice", "--reviewer", "ben")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["title", "authors", "year", "abstract"])
    for title, authors, year, key in STUDIES:
        writer.writerow([title, authors, year, TEXTS[key]])
    (tmp_path / "studies.csv").write_text(buffer.getvalue(), encoding="utf-8")
    ok(capsys, "import", root, tmp_path / "studies.csv", "--quiet")
    (tmp_path / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    ok(capsys, "codebook", "load", root, tmp_path / "codebook.yaml", "--reviewer", "alice")
    for reviewer, study, construct, words, occurrence in CODINGS:
        start, end = span(study, words, occurrence)
        ok(capsys, "code", root, "--study", study, "--start", start, "--end", end, "--construct", construct,
           "--reviewer", reviewer)
    return root


@pytest.fixture
def judged(review, capsys):
    """The review with judgements: alice's on three cells, ben's on one."""
    for reviewer, concept, study, kind, note in [
            ("alice", "Family first", BELL, "reciprocal", "same pull of family"),
            ("alice", "Family first", AMES, "refutational", "family pushed them away"),
            ("alice", "Health system distrust", COLE, "not-addressed", ""),
            ("ben", "Family first", BELL, "line-of-argument", "adds duty")]:
        argv = ["translate", review, "--concept", concept, "--study", study, "--as", kind, "--reviewer", reviewer]
        ok(capsys, *argv, *(["--note", note] if note else []))
    return review
