"""The codebook modules stay headless, and the CLI's start-up does not pay for them."""
import subprocess
import sys

import pytest

MODULES = ["workbench.core.codebook", "workbench.store.codebook", "workbench.interop.refi_qdc",
           "workbench.cli_codebook"]


def _loaded_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys; print(' '.join(sys.modules))"],
                         capture_output=True, text=True, check=True).stdout
    return set(out.split())


@pytest.mark.parametrize("module", MODULES)
def test_codebook_modules_do_not_import_textual_or_rich(module):
    loaded = {name.split(".")[0] for name in _loaded_after(f"import {module}")}
    assert not loaded & {"textual", "rich"}, module


def test_other_commands_do_not_load_the_codebook_machinery(small_project):
    loaded = _loaded_after(f"from workbench.cli import main; main(['studies', {str(small_project)!r}])")
    assert not loaded & {"workbench.core.codebook", "workbench.store.codebook", "workbench.interop.refi_qdc",
                         "xml.etree.ElementTree", "xml.parsers.expat", "xmlschema", "difflib"}
