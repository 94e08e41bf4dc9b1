"""Every reference in the repository resolves inside it, and the check catches each
kind of broken one (shown on a small repository built per test)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from check_repository_references import find_broken_references, heading_anchors, main
from dbt_harness import PROJECT_DIR


def test_the_repository_has_no_broken_reference() -> None:
    broken = find_broken_references(PROJECT_DIR)
    assert broken == [], "\n".join(map(str, broken))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A tiny repository: a docs page with headings, a model folder, a script."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "domain.md").write_text(
        "# Domain\n\n## The ten failures\n\n### `mmss-coercion`\n\n"
        "```\n## not a heading\n```\n"
    )
    (tmp_path / "models" / "marts").mkdir(parents=True)
    (tmp_path / "models" / "marts" / "summary.sql").write_text("select 1\n")
    (tmp_path / "README.md").write_text("# Readme\n")
    return tmp_path


def write(repo: Path, name: str, text: str) -> Path:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def broken_in(repo: Path, name: str, text: str) -> list[tuple[str, str]]:
    write(repo, name, text)
    return [
        (reference.reference, reference.reason)
        for reference in find_broken_references(repo)
        if reference.file == name
    ]


@pytest.mark.parametrize(
    "text",
    [
        "[The domain](docs/domain.md), [failures](docs/domain.md#the-ten-failures).",
        "Named [`mmss-coercion`](docs/domain.md#mmss-coercion).",
        "Back [up](#readme-too) is an anchor here.\n\n## Readme too\n",
        "Online: [dbt](https://docs.getdbt.com/) and [mail](mailto:a@b.c).",
        "Paths: `docs/domain.md`, `models/marts/`, models/marts/summary.sql.",
        "Patterns are not references: `tests/python/<file>`, `models/marts/stg_*`.",
        "Bare: README.md sits at the top; `python3 -m pytest` has no path.",
        "Outputs outside the tree are not references: /tmp/bench/results.md.",
    ],
)
def test_references_that_resolve_pass(repo: Path, text: str) -> None:
    assert broken_in(repo, "docs/guide.md", text.replace("docs/", "../docs/")) == []
    assert broken_in(repo, "NOTES.md", text) == []


@pytest.mark.parametrize(
    ("name", "text", "reference", "reason"),
    [
        ("NOTES.md", "[gone](docs/missing.md)", "docs/missing.md", "no such file"),
        ("NOTES.md", "[x](docs/domain.md#no-such)", "docs/domain.md#no-such", "anchor"),
        (
            "NOTES.md",
            "[code](docs/domain.md#not-a-heading)",
            "docs/domain.md#not-a-heading",
            "anchor",
        ),
        (
            "NOTES.md",
            "[up](../elsewhere/notes.md)",
            "../elsewhere/notes.md",
            "outside",
        ),
        (
            "NOTES.md",
            "See `../elsewhere/notes.md`.",
            "../elsewhere/notes.md",
            "outside",
        ),
        (
            "models/marts/a.yml",
            "# see models/marts/gone.sql",
            "models/marts/gone.sql",
            "no such file",
        ),
        (
            "models/marts/a.sql",
            "-- see domain.md, section 2",
            "domain.md",
            "Markdown file",
        ),
        (
            "scripts/a.py",
            '"""See /home/someone/notes.md."""',
            "/home/someone/notes.md",
            "absolute",
        ),
        ("scripts/a.py", "# docs/gone.md explains", "docs/gone.md", "no such file"),
    ],
)
def test_broken_references_fail(
    repo: Path, name: str, text: str, reference: str, reason: str
) -> None:
    found = broken_in(repo, name, text)
    assert [ref for ref, _ in found] == [reference]
    assert reason in found[0][1]


def test_a_python_string_naming_an_output_file_is_not_a_reference(repo: Path) -> None:
    assert broken_in(repo, "tests/a.py", 'output = tmp / "results.md"\n') == []
    found = broken_in(repo, "tests/b.py", '"""Writes ``results.md``."""\n')
    assert [reference for reference, _ in found] == ["results.md"]


def test_github_anchors_of_headings() -> None:
    anchors = heading_anchors(
        "# A page\n## Output: `nba_analytics.player_game_summary`\n"
        "## Twice\n## Twice\n~~~\n# fenced\n~~~\n"
    )
    assert anchors == {
        "a-page",
        "output-nba_analyticsplayer_game_summary",
        "twice",
        "twice-1",
    }


def test_untracked_new_files_are_checked_and_ignored_ones_are_not(repo: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    write(repo, ".gitignore", "reports/\n")
    write(repo, "reports/old.md", "[gone](nowhere.md)")
    write(repo, "docs/new.md", "[gone](nowhere.md)")
    assert {ref.file for ref in find_broken_references(repo)} == {"docs/new.md"}


def test_main_exits_1_and_names_the_reference(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(repo)]) == 0
    write(repo, "NOTES.md", "line one\n[gone](docs/missing.md)\n")
    assert main(["--root", str(repo)]) == 1
    assert "NOTES.md:2: docs/missing.md: no such file" in capsys.readouterr().err
