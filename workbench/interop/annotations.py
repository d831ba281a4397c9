"""Codings as W3C Web Annotations (JSON-LD): one annotation per live coding, readable by any tool
that reads the Web Annotation Data Model (Hypothesis, Recogito, INCEpTION's importers).

Each annotation targets its study (``urn:uuid:`` of the study's GUID, with ``doi`` kept alongside
in ``target.scope`` when the study has one) through a ``TextQuoteSelector`` (exact, prefix, suffix:
the quote and its stored context) and a ``TextPositionSelector`` (start, end: code points of the
study's canonical text, half-open, the convention both the standard and the workbench use). The
body is the construct: a ``TextualBody`` with ``purpose`` "classifying", its name as ``value`` and
the construct's GUID as ``id``; the creator is the reviewer. All annotations sit in one
``AnnotationCollection`` whose single ``AnnotationPage`` lists them in study order, then offset.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..store import codings
from ..store.db import Store
from .files import replacing

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
_COLUMNS = ("guid", "study_guid", "doi", "reviewer", "reviewer_guid", "construct", "construct_guid", "order",
            "quote", "prefix", "suffix", "start", "end", "created_at")


def annotation(row: dict) -> dict:
    """The Web Annotation of one coding row (``_COLUMNS``)."""
    target: dict = {
        "source": f"urn:uuid:{row['study_guid']}",
        "selector": [
            {"type": "TextQuoteSelector", "exact": row["quote"], "prefix": row["prefix"], "suffix": row["suffix"]},
            {"type": "TextPositionSelector", "start": row["start"], "end": row["end"]},
        ],
    }
    if row["doi"]:
        target["scope"] = f"https://doi.org/{row['doi']}"
    return {
        "id": f"urn:uuid:{row['guid']}",
        "type": "Annotation",
        "motivation": "classifying",
        "created": row["created_at"],
        "creator": {"id": f"urn:uuid:{row['reviewer_guid']}", "type": "Person", "name": row["reviewer"]},
        "body": {"id": f"urn:uuid:{row['construct_guid']}", "type": "TextualBody", "purpose": "classifying",
                 "format": "text/plain", "value": row["construct"]},
        "target": target,
    }


def export(db: Store, out: Path | str, title: str, reviewer_id: int | None = None) -> int:
    """Write the collection of the live codings (one reviewer's with ``reviewer_id``); how many."""
    items = [annotation(dict(zip(_COLUMNS, row)))
             for row in codings.rows(db, reviewer_id=reviewer_id, columns=_COLUMNS)]
    collection = {
        "@context": CONTEXT,
        "type": "AnnotationCollection",
        "label": title,
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }
    with replacing(out) as f:
        json.dump(collection, f, ensure_ascii=False, indent=1)
        f.write("\n")
    return len(items)
