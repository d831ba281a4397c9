"""The import's sentence segmentation in a worker process (issue 9, speed): the same units as
``segment_many``, chunk by chunk, and no worker left running after the import, whatever ends it."""
import os
import random
import signal
import subprocess
import sys
import time

import pytest
from support import SOURCES

from workbench.core.sentences import WORKER_MIN_TEXTS, SegmentationError, Segmenter, segment_many
from workbench.core.text import canonicalise, decode

WORDS = ("Doctors returned home. Families mattered more than pay! Was it duty? e.g. the N.H.S. said so "
         "(n = 35, 12%). Results: The model held. BACKGROUND: none. 结果：医生回国。这很重要。 Dr. Smith "
         "went to St. Louis... \u201cWhy?\u201d she asked. Participant 3: yes").split(" ")


def _random_texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(n):
        lines = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 40))) for _ in range(rng.randint(0, 6))]
        texts.append("\n".join(lines))
    return texts


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie is not running
        return stat.read().rsplit(")", 1)[1].split()[0] != "Z"


def test_the_worker_makes_the_same_units_as_segment_many_on_the_seed_and_random_texts():
    seeds = [canonicalise(decode(p.read_bytes(), p.name)) for p in sorted(SOURCES.glob("*.txt"))]
    texts = seeds + _random_texts(300, 9) + [""] + seeds
    with Segmenter(WORKER_MIN_TEXTS) as segmenter:
        assert segmenter.pid is not None and _alive(segmenter.pid)
        done = []
        chunks = list(segmenter.chunks(texts, size=7, progress=done.append))
        worker = segmenter.pid
    assert [units for chunk in chunks for units in chunk] == segment_many(texts)
    assert [len(c) for c in chunks] == [7] * (len(texts) // 7) + ([len(texts) % 7] if len(texts) % 7 else [])
    assert done == [min(len(texts), 7 * (k + 1)) for k in range(len(chunks))]
    time.sleep(0.1)
    assert not _alive(worker)


def test_few_texts_are_segmented_in_this_process():
    with Segmenter(WORKER_MIN_TEXTS - 1) as segmenter:
        assert segmenter.pid is None
        assert list(segmenter.chunks(["One. Two.", "Three"], size=1)) == [[[(0, 4), (5, 9)]], [[(0, 5)]]]


def test_an_error_while_the_worker_is_busy_stops_it():
    with pytest.raises(KeyboardInterrupt):
        with Segmenter(WORKER_MIN_TEXTS) as segmenter:
            worker = segmenter.pid
            next(segmenter.chunks(_random_texts(50, 1), size=10))
            raise KeyboardInterrupt  # the user's Ctrl-C while the worker segments the next chunk
    assert not _alive(worker)


def test_a_worker_that_dies_is_an_error_naming_no_internals():
    with Segmenter(WORKER_MIN_TEXTS) as segmenter:
        chunks = segmenter.chunks(["One. Two."] * 8, size=2)
        next(chunks)
        os.kill(segmenter.pid, signal.SIGKILL)
        # the chunk sent before the kill may already be back; the one after it cannot be
        with pytest.raises(SegmentationError, match="stopped unexpectedly; nothing was imported"):
            for _ in chunks:
                pass


def _descendants(pid: int) -> set[int]:
    found = set()
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as children:
            for child in map(int, children.read().split()):
                found |= {child} | _descendants(child)
    return found


@pytest.mark.parametrize("how", ["ctrl-c", "kill-9"])
def test_an_interrupted_import_leaves_no_worker_running_and_stores_nothing(tmp_path, how):
    cli = [sys.executable, "-c", "import sys; from workbench.cli import main; sys.exit(main(sys.argv[1:]))"]
    project = tmp_path / "review"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    subprocess.run([*cli, "init", str(project), "--title", "T"], env=env, check=True,
                   capture_output=True)
    ris = tmp_path / "many.ris"
    with ris.open("w", encoding="utf-8") as out:
        for i, text in enumerate(_random_texts(4000, 3)):
            body = " ".join(text.split()) or "No abstract."
            out.write(f"TY  - JOUR\nTI  - Study {i} of the return of doctors\nPY  - 2020\nAB  - {body}\nER  - \n\n")
    proc = subprocess.Popen([*cli, "import", str(project), str(ris), "--quiet"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 60
    seen: set[int] = set()
    while time.monotonic() < deadline and proc.poll() is None:
        seen |= _descendants(proc.pid)
        if seen:
            break
        time.sleep(0.02)
    assert seen, "the import started no worker"
    time.sleep(0.3)
    seen |= _descendants(proc.pid)
    if how == "ctrl-c":
        os.killpg(proc.pid, signal.SIGINT)  # a terminal's Ctrl-C reaches the whole process group
    else:
        os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    assert proc.returncode != 0
    deadline = time.monotonic() + 5  # the worker notices a killed parent within half a second
    while time.monotonic() < deadline and any(_alive(p) for p in seen):
        time.sleep(0.05)
    assert not [p for p in seen if _alive(p)]
    import sqlite3
    with sqlite3.connect(project / "project.db") as db:
        assert db.execute("SELECT count(*) FROM study").fetchone()[0] == 0


def test_sentence_starts_are_those_of_spacys_sentencizer_on_the_seed_and_random_lines():
    from workbench.core.sentences import _nlp, _sentence_starts, _tokenizer_and_stops

    nlp = _nlp()
    tokenizer, stops = _tokenizer_and_stops()
    rng = random.Random(4)
    marks = sorted(nlp.get_pipe("sentencizer").punct_chars) + list(".,;:!?()[]\"'“”…-– ") + ["...", "?!", "3.5"]
    lines = [line for p in sorted(SOURCES.glob("*.txt"))
             for line in canonicalise(decode(p.read_bytes(), p.name)).split("\n") if line.strip()]
    lines += [" ".join(rng.choice(WORDS + marks) for _ in range(rng.randint(1, 30))) for _ in range(3000)]
    for line in lines:
        expected = [sentence.start_char for sentence in nlp(line).sents]
        expected[0] = 0
        assert _sentence_starts(tokenizer(line), stops) == expected, line


def test_an_import_through_the_worker_stores_segment_manys_units_and_tells_its_progress(small_project):
    from workbench.core.records import StudyRecord
    from workbench.store.project import Project
    from workbench.store.studies import add_studies

    texts = _random_texts(WORKER_MIN_TEXTS + 200, 11)
    records = [StudyRecord(title=f"Interview with participant {i}", text=canonicalise(t), source_file="many.txt",
                           locator=f"record {i}") for i, t in enumerate(texts)]
    told: dict[str, list[tuple[int, int]]] = {}
    with Project.open(small_project) as project:
        before = project.db.execute("SELECT max(id) FROM study").fetchone()[0]
        report = add_studies(project.db, records, progress=lambda step, done, total: told.setdefault(step, []).append(
            (done, total)))
        assert len(report.added) == len(records)  # the texts are random but the titles and hashes differ
        stored = {}
        for study, start, end in project.db.execute(
                "SELECT study_id, span_start, span_end FROM sentence WHERE study_id > ? ORDER BY 1, 2", [before]):
            stored.setdefault(study, []).append((start, end))
    expected = segment_many([r.text for r in records])
    assert [stored.get(study, []) for study in report.added] == expected
    done = [d for d, _ in told["segmenting"]]
    assert done == sorted(done) and told["segmenting"][-1] == (len(records), len(records))
    assert told["storing"][-1] == (len(records), len(records))
