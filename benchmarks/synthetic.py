"""Synthetic but realistic inputs for the benchmarks, reproducible from a seed.

Words come from the demo project's seed texts (``projects/img-return-migration/sources``), sampled by
their frequency there, so abstracts have the field's vocabulary and a natural (Zipf-like) word
distribution. Nothing here touches the database; ``run.py`` feeds these files through the real CLI.

* ``abstracts(n)``: ``n`` study records with distinct titles and DOIs, years 1995-2025 (weighted to
  recent ones), 1-8 authors (some with diacritics), journal, and an abstract of 1,500-2,000
  characters (about 10 sentences). A third are structured (Background/Methods/Results/Conclusions
  as paragraphs); one in 50 carries a Chinese translation paragraph, as seed 000 does.
* ``write_ris`` / ``write_csv``: the same records as a RIS export (EndNote/Scopus style, with the
  tags those exports carry) and as a CSV export (Rayyan/Scopus style header).
* ``full_text()``: one long full-text study (~30,000 characters, headed sections, paragraphs) for
  the study that gets 1,000 highlights.
* ``codebook()``: a review's constructs: 3 overarching and 10 third-order (the worked example's),
  30 second-order and 60 first-order ones, each with its parent.
"""
from __future__ import annotations

import csv
import random
import re
from collections import Counter
from itertools import accumulate
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "projects" / "img-return-migration" / "sources"

_WORD = re.compile(r"(?<![\w@/.])[A-Za-z][a-z]+(?:-[a-z]+)?(?![\w@/])")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_ACRONYM = re.compile(r"\b[A-Z]{2,5}s?\b")

SURNAMES = ("Heist", "Torok", "Frehywot", "Park", "Infanzon", "Huang", "Shepherd", "Milne", "Wu",
            "Newman", "Rashid", "Okafor", "Nguyen", "García", "Müller", "Søndergaard", "Kowalski",
            "Tanaka", "Mensah", "Hassan", "O'Brien", "Silva", "Ibrahim", "Chen", "Kumar", "Patel",
            "Dubois", "Rossi", "Öztürk", "Nakamura", "Adeyemi", "Costa", "Lindqvist", "Novák",
            "Haddad", "Zhang", "Abebe", "Moreno", "Jansen", "Papadopoulos", "Kim", "Ferreira")
GIVEN = ("Brian S.", "Haruka", "Seble", "Chulwoo", "Alexandra", "Tina", "Annabel", "Monica", "Anette",
         "Rhiannon", "Mohammed A.", "Chidi", "Linh", "José", "Jürgen", "Ingrid", "Agnieszka", "Kenji",
         "Ama", "Fatima", "Siobhán", "Rafael", "Aisha", "Wei", "Priya", "Amélie", "Giulia", "Emre",
         "Yuki", "Tunde", "Helena", "Petr", "Nadia", "Li", "Tesfaye", "Lucía", "Pieter", "Eleni")
JOURNALS = ("Medical Teacher", "Human Resources for Health", "BMC Medical Education",
            "Education for Primary Care", "The Clinical Teacher", "Medical Education",
            "Social Science & Medicine", "BMJ Open", "Globalization and Health",
            "Academic Medicine", "Health Policy and Planning", "Qualitative Health Research")
HEADINGS = ("Background:", "Methods:", "Results:", "Conclusions:")
THIRD_ORDER = {
    "Reflections on personal development": ("Pivotal experiences abroad", "Professional growth and confidence",
                                            "Changed perspectives on medicine"),
    "Social and cultural connection to home countries": ("Family over finances", "Duty to the home country",
                                                         "Cultural belonging"),
    "Challenges associated with professional reintegration": (
        "Disillusionment with state healthcare", "Drive to private practice",
        "Wasted opportunity for knowledge transfer", "Recognition of foreign qualifications"),
}


@dataclass
class Record:
    title: str
    authors: list[str]
    year: int
    doi: str
    journal: str
    abstract: str
    keywords: list[str] = field(default_factory=list)


class Vocabulary:
    """Words (weighted by frequency), acronyms and Chinese characters of the seed texts."""

    def __init__(self, seeds: Path = SEEDS):
        texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.iterdir()) if p.is_file()]
        words = Counter(w.lower() for t in texts for w in _WORD.findall(t) if len(w) > 1)
        for junk in ("http", "https", "www", "com", "org", "html", "null", "url", "doi", "pdf"):
            words.pop(junk, None)
        self.words = list(words)
        self.cum_weights = list(accumulate(words.values()))
        self.content = [w for w in self.words if len(w) > 5]  # for titles: fewer function words
        self.acronyms = sorted({a.rstrip("s") for t in texts for a in _ACRONYM.findall(t)} - {"ER", "TY"}) or ["IMG"]
        self.cjk = "".join(c for t in texts for c in _CJK.findall(t)) or "医学毕业生"


class Generator:
    """Deterministic text for one seed."""

    def __init__(self, seed: int = 20250101, vocabulary: Vocabulary | None = None):
        self.rng = random.Random(seed)
        self.v = vocabulary or Vocabulary()

    def words(self, n: int) -> list[str]:
        return self.rng.choices(self.v.words, cum_weights=self.v.cum_weights, k=n)

    def sentence(self) -> str:
        rng = self.rng
        words = self.words(rng.randint(16, 30))
        if rng.random() < 0.35:
            words.insert(rng.randrange(1, len(words)), f"({rng.choice(self.v.acronyms)})")
        if rng.random() < 0.2:
            words.insert(rng.randrange(1, len(words)), f"(n = {rng.randint(8, 420)}, {rng.randint(3, 97)}%)")
        if rng.random() < 0.08:
            words.insert(rng.randrange(1, len(words)), rng.choice(("e.g.", "i.e.", "et al.", "vs.")))
        for _ in range(rng.randint(0, 3)):
            i = rng.randrange(2, len(words) - 1)
            words[i] += ","
        text = " ".join(words).replace(",,", ",").rstrip(",")
        return text[0].upper() + text[1:] + ("?" if rng.random() < 0.05 else ".")

    def paragraph(self, sentences: int) -> str:
        return " ".join(self.sentence() for _ in range(sentences))

    def abstract(self) -> str:
        """1,500-2,000 characters: plain, or structured in paragraphs, sometimes with a Chinese one."""
        rng = self.rng
        target = rng.randint(1500, 2000)
        structured = rng.random() < 0.33
        chinese = rng.random() < 0.02
        sentences: list[str] = []
        while sum(len(s) + 1 for s in sentences) < target - 60:
            sentences.append(self.sentence())
        if not structured:
            text = " ".join(sentences)
        else:
            cuts = sorted(rng.sample(range(1, len(sentences)), min(3, len(sentences) - 1)))
            parts = [sentences[a:b] for a, b in zip([0, *cuts], [*cuts, len(sentences)])]
            text = "\n".join(f"{h} {' '.join(p)}" for h, p in zip(HEADINGS, parts))
        text = text[:target].rsplit(" ", 1)[0].rstrip(",;") + "."
        if chinese:
            text += "\n" + self.chinese(rng.randint(120, 300))
        return text

    def chinese(self, n: int) -> str:
        chars = self.rng.choices(self.v.cjk, k=n)
        for i in range(self.rng.randint(18, 40), n, self.rng.randint(18, 40)):
            chars[i] = "，" if self.rng.random() < 0.6 else "。"
        return "".join(chars).rstrip("，。") + "。"

    def title(self) -> str:
        rng = self.rng
        head = " ".join(rng.choices(self.v.content, k=rng.randint(4, 8)))
        tail = " ".join(rng.choices(self.v.content, k=rng.randint(3, 6)))
        kind = rng.choice(("a qualitative study", "a meta-ethnography", "an interview study",
                           "a mixed-methods evaluation", "a grounded theory", "a cross-sectional survey"))
        return f"{head[0].upper()}{head[1:]}: {tail} - {kind}"

    def author(self) -> str:
        return f"{self.rng.choice(SURNAMES)}, {self.rng.choice(GIVEN)}"

    def full_text(self, chars: int = 30_000) -> str:
        """A full-text study: a title line, headed sections, paragraphs of 4-8 sentences."""
        rng = self.rng
        out = [self.title(), "", "Abstract", self.abstract()]
        sections = ("Introduction", "Methods", "Results", "Discussion", "Conclusions")
        i = 0
        while sum(len(p) + 1 for p in out) < chars:
            if i % 6 == 0:
                out += ["", sections[min(i // 6, len(sections) - 1)]]
            out.append(self.paragraph(rng.randint(4, 8)))
            i += 1
        return "\n".join(out) + "\n"


def abstracts(n: int, seed: int = 20250101, vocabulary: Vocabulary | None = None) -> list[Record]:
    """``n`` records with distinct titles and DOIs (reproducible for a seed)."""
    gen = Generator(seed, vocabulary)
    rng = gen.rng
    years = list(range(1995, 2026))
    year_weights = list(accumulate(1 + (y - 1995) ** 1.5 for y in years))
    seen: set[str] = set()
    records = []
    for i in range(n):
        title = gen.title()
        while title.casefold() in seen:
            title = gen.title()
        seen.add(title.casefold())
        records.append(Record(
            title=title,
            authors=[gen.author() for _ in range(rng.choice((1, 2, 2, 3, 3, 4, 5, 6, 8)))],
            year=rng.choices(years, cum_weights=year_weights)[0],
            doi=f"10.{rng.randint(1000, 99999)}/bench.{i:06d}.{rng.randrange(16 ** 4):04x}",
            journal=rng.choice(JOURNALS),
            abstract=gen.abstract(),
            keywords=gen.rng.sample(gen.v.content, 4),
        ))
    return records


def write_ris(records: list[Record], path: Path) -> None:
    """A RIS export as EndNote/Scopus write it: one tag per line, AB on one line per paragraph; no DO
    or UR line for a record whose ``doi`` is empty."""
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for i, r in enumerate(records, 1):
            lines = ["TY  - JOUR", f"TI  - {r.title}"]
            lines += [f"AU  - {a}" for a in r.authors]
            lines += [f"PY  - {r.year}", f"JO  - {r.journal}", f"T2  - {r.journal}",
                      f"VL  - {1 + i % 60}", f"IS  - {1 + i % 12}", f"SP  - {1 + i % 300}",
                      f"EP  - {12 + i % 300}", f"SN  - {1000 + i % 9000}-{1000 + i * 7 % 9000}"]
            if r.doi:  # a record without a DOI (as some databases' exports have) carries no DO/UR
                lines += [f"DO  - {r.doi}", f"UR  - https://doi.org/{r.doi}"]
            lines += [f"KW  - {k}" for k in r.keywords]
            lines.append(f"AB  - {r.abstract}")  # paragraphs continue on unindented lines
            lines += ["N1  - Export Date: 3 March 2025", "ER  - ", ""]
            out.write("\n".join(lines) + "\n")


def write_csv(records: list[Record], path: Path) -> None:
    """A CSV export (Scopus/Rayyan-like header); abstracts keep their paragraph breaks, quoted."""
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["Authors", "Title", "Year", "Source title", "DOI", "Abstract", "Author Keywords"])
        for r in records:
            writer.writerow(["; ".join(r.authors), r.title, r.year, r.journal, r.doi, r.abstract,
                             "; ".join(r.keywords)])


def codebook(seed: int = 7, vocabulary: Vocabulary | None = None) -> list[tuple[str, int, str | None]]:
    """(name, order, parent name) for every construct, parents before children."""
    gen = Generator(seed, vocabulary)
    items: list[tuple[str, int, str | None]] = []
    third = []
    for overarching, children in THIRD_ORDER.items():
        items.append((overarching, 3, None))
        for child in children:
            items.append((child, 3, overarching))
            third.append(child)
    second = []
    names: set[str] = {name.casefold() for name, _, _ in items}

    def fresh(prefix: str, k: int) -> str:
        while True:
            name = prefix + " ".join(gen.rng.choices(gen.v.content, k=k))
            if name.casefold() not in names:
                names.add(name.casefold())
                return name

    for i in range(30):
        name = fresh("", 3).capitalize()
        items.append((name, 2, third[i % len(third)]))
        second.append(name)
    for i in range(60):
        items.append((fresh('"', 5) + '"', 1, second[i % len(second)]))
    return items
