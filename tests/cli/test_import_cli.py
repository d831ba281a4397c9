"""`workbench import` of each format as a reviewer runs it: what --json reports as added, what
`workbench studies` then lists, and that importing the same file again adds nothing."""
import json

import pytest
from support import dump, rows, run

HEIST = "Medical migration: a qualitative exploration of the atypical path of Japanese international medical graduates"
FREHYWOT = ("Medical diaspora: an underused entity in low- and middle-income countries' health system "
            "development")

INPUTS = {
    # a Zotero-ish JSON list: the simple form, then CSL-JSON
    "zotero.json": """[
  {"title": "%s",
   "authors": ["Heist, Brian S.", "Torok, Haruka Matsubara"], "year": 2018,
   "doi": "https://doi.org/10.1080/0142159X.2017.1370081", "journal": "Medical Teacher",
   "abstract": "Japanese doctors who trained abroad describe why they came home."},
  {"title": "%s",
   "author": [{"family": "Frehywot", "given": "Seble"}], "issued": {"date-parts": [[2019, 7, 15]]},
   "DOI": "10.1186/s12960-019-0393-1", "container-title": "Human Resources for Health",
   "abstract": "Diaspora doctors can help health systems at home."}
]
""" % (HEIST, FREHYWOT),
    # a Rayyan export: CRLF, quoted fields, an extra key column
    "rayyan.csv": (
        'key,title,authors,year,journal,doi,abstract\r\n'
        'rayyan-1,"Mentoring to address differential attainment of international medical graduates in GP '
        'training","Tina Huang; Annabel Shepherd; Monica Milne",2024,Education for Primary Care,'
        '10.1080/14739879.2024.2355933,"IMGs form an important part of the GP workforce, and mentoring helps."\r\n'
        'rayyan-2,"Return migration of international medical graduates: a meta-ethnography","Newman, A.",2025,'
        'The Clinical Teacher,10.1111/tct.70188,"Why doctors go home; a synthesis."\r\n'),
    # Scopus and EndNote RIS records: TI/T1, AU/A1, PY/Y1, DOI in DO or only in UR
    "scopus.ris": (
        "TY  - JOUR\r\nTI  - Why doctors return: interviews in Ghana\r\nAU  - Mensah, Kofi\r\nAU  - Owusu, Ama\r\n"
        "PY  - 2016\r\nJO  - Human Resources for Health\r\nDO  - 10.1186/s12960-016-0001-x\r\n"
        "AB  - Twenty doctors who came back to Ghana were interviewed.\r\nER  - \r\n\r\n"
        "TY  - JOUR\r\nT1  - Coming home to practise: Irish doctors after Australia\r\nA1  - Humphries, Niamh\r\n"
        "Y1  - 2021///\r\nUR  - https://doi.org/10.1016/j.healthpol.2021.05.002\r\n"
        "N2  - Irish doctors weighed family against career.\r\nER  - \r\n"),
    # PubMed "citation manager" records: a wrapped title, DOI in LID or AID
    "pubmed.nbib": (
        "PMID- 99990001\nOWN - NLM\nTI  - Returning home: the reintegration of doctors trained abroad in\n"
        "      Nepal.\nFAU - Shrestha, Ram\nAU  - Shrestha R\nDP  - 2020 Mar 12\n"
        "AB  - Doctors who returned to Nepal met a health system that had changed.\nJT  - BMC Medical Education\n"
        "LID - 10.1186/s12909-020-01999-9 [doi]\n\n"
        "PMID- 99990002\nTI  - Brain gain: Indian doctors coming back from the United Kingdom.\n"
        "FAU - Patel, Anita\nDP  - 2022\nAB  - Indian doctors returned for family reasons.\n"
        "AID - 10.1136/bmjopen-2022-000111 [doi]\nAID - bmjopen-2022-000111 [pii]\n\n"),
    # a study's full text: the title is the first line, the DOI the first one in the text
    "nowak2017.txt": ("Return migration of doctors to Poland: a qualitative study\n\n"
                      "Published as https://doi.org/10.3390/IJERPH14070734\n\n"
                      "We interviewed 14 doctors who returned to Poland after working in Germany.\n"
                      "Family was the main reason.\n"),
}

# (id, title, year, doi, source_file) of each study added, then (authors, journal) as `studies` lists them
EXPECTED = {
    "zotero.json": [
        ((1, HEIST, 2018, "10.1080/0142159x.2017.1370081", "zotero.json"),
         (["Heist, Brian S.", "Torok, Haruka Matsubara"], "Medical Teacher")),
        ((2, FREHYWOT, 2019, "10.1186/s12960-019-0393-1", "zotero.json"),
         (["Frehywot, Seble"], "Human Resources for Health")),
    ],
    "rayyan.csv": [
        ((1, "Mentoring to address differential attainment of international medical graduates in GP training",
          2024, "10.1080/14739879.2024.2355933", "rayyan.csv"),
         (["Tina Huang", "Annabel Shepherd", "Monica Milne"], "Education for Primary Care")),
        ((2, "Return migration of international medical graduates: a meta-ethnography", 2025, "10.1111/tct.70188",
          "rayyan.csv"),
         (["Newman, A."], "The Clinical Teacher")),
    ],
    "scopus.ris": [
        ((1, "Why doctors return: interviews in Ghana", 2016, "10.1186/s12960-016-0001-x", "scopus.ris"),
         (["Mensah, Kofi", "Owusu, Ama"], "Human Resources for Health")),
        ((2, "Coming home to practise: Irish doctors after Australia", 2021, "10.1016/j.healthpol.2021.05.002",
          "scopus.ris"),
         (["Humphries, Niamh"], None)),
    ],
    "pubmed.nbib": [
        ((1, "Returning home: the reintegration of doctors trained abroad in Nepal.", 2020,
          "10.1186/s12909-020-01999-9", "pubmed.nbib"),
         (["Shrestha, Ram"], "BMC Medical Education")),
        ((2, "Brain gain: Indian doctors coming back from the United Kingdom.", 2022, "10.1136/bmjopen-2022-000111",
          "pubmed.nbib"),
         (["Patel, Anita"], None)),
    ],
    "nowak2017.txt": [
        ((1, "Return migration of doctors to Poland: a qualitative study", None, "10.3390/ijerph14070734",
          "nowak2017.txt"),
         ([], None)),
    ],
}

DUPLICATE_WHERE = {"zotero.json": ["record 1", "record 2"], "rayyan.csv": ["line 2", "line 3"],
                   "scopus.ris": ["record 1", "record 2"], "pubmed.nbib": ["record 1", "record 2"],
                   "nowak2017.txt": ["record 1"]}


@pytest.fixture
def project(tmp_path, capsys):
    root = tmp_path / "review"
    code, _, err = run(capsys, "init", root, "--reviewer", "alice")
    assert code == 0, err
    return root


def summary(out: str) -> dict:
    """The import report's added studies (id, title, year, doi, source file) and skipped duplicates."""
    report = json.loads(out)
    keys = ("id", "title", "year", "doi", "source_file")
    assert "possible duplicate" not in {r["outcome"] for r in report["records"]}
    return {"added": [{k: a[k] for k in keys} for a in report["added"]], "duplicates": report["duplicates"]}


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


@pytest.mark.parametrize("name", INPUTS, ids=lambda n: n.rsplit(".", 1)[1])
def test_import_reports_what_it_added_and_a_second_import_adds_nothing(project, tmp_path, capsys, name):
    source = write(tmp_path, name, INPUTS[name])
    code, out, err = run(capsys, "import", project, source, "--reviewer", "alice", "--json")
    assert (code, err) == (0, "")
    keys = ("id", "title", "year", "doi", "source_file")
    assert summary(out) == {"added": [dict(zip(keys, added)) for added, _ in EXPECTED[name]], "duplicates": []}

    code, out, err = run(capsys, "studies", project, "--json")
    assert (code, err) == (0, "")
    listed = [(s["id"], s["title"], s["year"], s["doi"], s["source_file"], s["authors"], s["journal"])
              for s in json.loads(out)]
    assert listed == [added + more for added, more in EXPECTED[name]]

    before = dump(project)
    code, out, err = run(capsys, "import", project, source, "--reviewer", "alice", "--json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["added"] == []
    assert [(d["file"], d["where"], d["title"], d["existing_study"]) for d in report["duplicates"]] == [
        (name, where, added[1], added[0]) for where, (added, _) in zip(DUPLICATE_WHERE[name], EXPECTED[name])]
    assert dump(project) == before


def test_a_second_import_says_which_study_each_record_duplicates(project, tmp_path, capsys):
    source = write(tmp_path, "scopus.ris", INPUTS["scopus.ris"])
    assert run(capsys, "import", project, source)[0] == 0
    code, out, err = run(capsys, "import", project, source)
    assert (code, err) == (0, "")
    assert out == (
        "imported 0 studies; skipped 2 definite duplicates\n"
        "  skipped  scopus.ris record 1: 'Why doctors return: interviews in Ghana' is a definite duplicate of "
        "study 1 (Mensah 2016): same DOI 10.1186/s12960-016-0001-x\n"
        # titles are clipped to 50 characters
        "  skipped  scopus.ris record 2: 'Coming home to practise: Irish doctors after Aust…' is a definite "
        "duplicate of study 2 (Humphries 2021): same DOI 10.1016/j.healthpol.2021.05.002\n")


def test_the_text_of_a_txt_study_is_the_file(project, tmp_path, capsys):
    source = write(tmp_path, "nowak2017.txt", INPUTS["nowak2017.txt"])
    assert run(capsys, "import", project, source)[0] == 0
    assert [tuple(r) for r in rows(project, "SELECT study_id, text FROM document")] == [
        (1, INPUTS["nowak2017.txt"])]


# --- CSV with columns the workbench does not know: --map

COVIDENCE = (
    "Covidence #,Study,Authors,Published,Ref,Abstract Text\n"
    '#12,Why doctors return: interviews in Ghana,Kofi Mensah; Ama Owusu,2016,10.1186/s12960-016-0001-x,'
    '"Twenty doctors who came back to Ghana were interviewed."\n'
    "#15,Coming home to practise: Irish doctors after Australia,Niamh Humphries,2021 Jun,,"
    "Irish doctors weighed family against career.\n"
)


def test_csv_columns_named_with_map(project, tmp_path, capsys):
    source = write(tmp_path, "covidence.csv", COVIDENCE)
    code, out, err = run(capsys, "import", project, source, "--map", "title=Study", "--map", "year=Published",
                         "--map", "doi = Ref", "--map", "abstract=Abstract Text", "--json")
    assert (code, err) == (0, "")
    assert summary(out) == {"added": [
        {"id": 1, "title": "Why doctors return: interviews in Ghana", "year": 2016,
         "doi": "10.1186/s12960-016-0001-x", "source_file": "covidence.csv"},
        {"id": 2, "title": "Coming home to practise: Irish doctors after Australia", "year": 2021, "doi": None,
         "source_file": "covidence.csv"},
    ], "duplicates": []}
    assert [tuple(r) for r in rows(project, "SELECT study_id, text FROM document ORDER BY study_id")] == [
        (1, "Twenty doctors who came back to Ghana were interviewed."),
        (2, "Irish doctors weighed family against career.")]
    code, out, _ = run(capsys, "studies", project, "--json")
    assert [s["authors"] for s in json.loads(out)] == [["Kofi Mensah", "Ama Owusu"], ["Niamh Humphries"]]


@pytest.mark.parametrize("maps,message", [
    ((), "covidence.csv:1: no title column; the columns are 'Covidence #', 'Study', 'Authors', 'Published', "
         "'Ref', 'Abstract Text'. Say which column holds the title with column_map={'title': COLUMN} "
         "(on the command line: --map title=COLUMN)"),
    (("--map", "title=Name"), "covidence.csv:1: no column 'Name' to map to title; the columns are 'Covidence #', "
                              "'Study', 'Authors', 'Published', 'Ref', 'Abstract Text'"),
    (("--map", "title"), "--map takes FIELD=COLUMN (e.g. title='Article Title'), not 'title'"),
    (("--map", "title=Study", "--map", "pages=Ref"),
     "covidence.csv:1: cannot map 'pages': the fields are title, authors, year, doi, pmid, abstract, journal, "
     "country, participants, method"),
], ids=["no-map", "missing-column", "no-equals", "unknown-field"])
def test_a_csv_that_cannot_be_mapped_is_refused(project, tmp_path, capsys, maps, message):
    source = write(tmp_path, "covidence.csv", COVIDENCE)
    before = dump(project)
    code, out, err = run(capsys, "import", project, source, *maps)
    assert (code, out) == (1, "")
    assert err == f"workbench: error: {message}\n"
    assert dump(project) == before


# --- a one-record file with its metadata given on the command line


def test_title_year_doi_and_authors_override_a_txt_study(project, tmp_path, capsys):
    source = write(tmp_path, "nowak2017.txt", INPUTS["nowak2017.txt"])
    code, out, err = run(capsys, "import", project, source, "--title", "Doctors' return to Poland",
                         "--year", "2017", "--doi", "doi:10.3390/ijerph14070735", "--authors", "Nowak, Anna",
                         "--authors", "Kowalski, Jan", "--journal", "IJERPH", "--json")
    assert (code, err) == (0, "")
    assert summary(out) == {"added": [
        {"id": 1, "title": "Doctors' return to Poland", "year": 2017, "doi": "10.3390/ijerph14070735",
         "source_file": "nowak2017.txt"}], "duplicates": []}
    code, out, _ = run(capsys, "studies", project, "--json")
    (study,) = json.loads(out)
    assert (study["authors"], study["journal"]) == (["Nowak, Anna", "Kowalski, Jan"], "IJERPH")
    # the text is still the whole file
    assert rows(project, "SELECT text FROM document")[0][0] == INPUTS["nowak2017.txt"]


def test_overrides_are_refused_for_a_file_of_several_records(project, tmp_path, capsys):
    source = write(tmp_path, "scopus.ris", INPUTS["scopus.ris"])
    before = dump(project)
    code, out, err = run(capsys, "import", project, source, "--year", "2017")
    assert (code, out) == (1, "")
    assert err == "workbench: error: --title, --authors, --year, --doi ... apply to one file holding one record\n"
    assert dump(project) == before
