"""The core, store and interop never import Textual or Rich, and the CLI's start-up path stays
light (no spaCy, no Textual) so that commands answer fast."""
import subprocess
import sys

import pytest

HEADLESS = ["workbench.core.text", "workbench.core.records", "workbench.core.sentences",
            "workbench.core.constructs", "workbench.store.project", "workbench.store.studies",
            "workbench.store.codings", "workbench.store.constructs", "workbench.store.schema",
            "workbench.interop.imports", "workbench.interop.matrix", "workbench.interop.manifest",
            "workbench.cli"]


def _loaded_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys; print(' '.join(sys.modules))"],
                         capture_output=True, text=True, check=True).stdout
    return {name.split(".")[0] for name in out.split()}


@pytest.mark.parametrize("module", HEADLESS)
def test_headless_modules_do_not_import_textual_or_rich(module):
    loaded = _loaded_after(f"import {module}")
    assert not loaded & {"textual", "rich"}, module


def test_cli_start_up_does_not_load_spacy_textual_or_sqlite_utils(small_project):
    loaded = _loaded_after(f"from workbench.cli import main; main(['studies', {str(small_project)!r}])")
    assert not loaded & {"spacy", "textual", "rich", "sqlite_utils", "numpy", "rapidfuzz"}
