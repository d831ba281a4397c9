"""A command's start-up pays only for what it uses: listing studies loads no spaCy, Textual, Rich,
sqlite-utils (numpy), rapidfuzz, nor the codebook's YAML and XML machinery."""
import subprocess
import sys


def _loaded_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys; print(' '.join(sys.modules))"],
                         capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_listing_studies_loads_no_heavy_package(small_project):
    loaded = _loaded_after(f"from workbench.cli import main; main(['studies', {str(small_project)!r}])")
    assert not {name.split(".")[0] for name in loaded} & {"spacy", "textual", "rich", "sqlite_utils", "numpy",
                                                         "rapidfuzz"}
    assert not loaded & {"workbench.core.codebook", "workbench.store.codebook", "workbench.interop.refi_qdc",
                         "workbench.interop.codebook_yaml", "xml.etree.ElementTree", "xml.parsers.expat",
                         "xmlschema", "difflib"}


def test_undo_loads_only_the_store_modules_that_register_handlers(small_project):
    """The undo engine finds its handlers by reading the store's sources: the schema (and with it
    sqlite-utils and numpy, a fifth of a second) is not imported for an undo."""
    loaded = _loaded_after(
        f"from workbench.cli import main\n"
        f"main(['code', {str(small_project)!r}, '--study', '1', '--start', '0', '--end', '9', '--construct', 'X', "
        f"'--order', '2', '--reviewer', 'alice'])\n"
        f"main(['undo', {str(small_project)!r}, '--reviewer', 'alice'])")
    assert {"workbench.store.restructure.merge", "workbench.store.codebook", "workbench.store.memos"} <= loaded
    assert not {name.split(".")[0] for name in loaded} & {"sqlite_utils", "numpy", "spacy", "textual"}
