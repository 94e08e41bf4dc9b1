"""Fail when a file of the repository refers to a file that is not in it.

    python scripts/check_repository_references.py

A clone must explain itself: every Markdown link, every path written from one of
the repository's top-level folders (``docs/domain.md``, ``models/marts/``), every
Markdown file named on its own (``domain.md``) must resolve to a file or folder of
the repository, a Markdown link's ``#anchor`` to a heading of its target, and no
file may point outside the repository (``../elsewhere``, ``/work/...``).

Placeholders are not references: a path that continues with ``<``, ``{``, ``*``
or ``$`` (``tests/python/<file>``, ``stg_nba_raw__*``) is a pattern and skipped.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

# Folders that tools and runs create; never part of a clone.
GENERATED_DIRS = frozenset(
    {
        ".git",
        ".venv",
        "target",
        "dbt_packages",
        "logs",
        "data",
        "reports",
        ".backfill",
        "__pycache__",
        ".pytest_cache",
        ".ruff_cache",
    }
)
# The checker and its test spell out the references they reject.
SELF_DESCRIBING = frozenset(
    {
        "scripts/check_repository_references.py",
        "tests/python/test_repository_references.py",
    }
)
# Absolute paths into other people's trees: a reader's machine has none of them.
FOREIGN_ROOTS = ("/work/", "/home/", "/Users/", "/root/", "/mnt/", "/opt/")

MARKDOWN_LINK = re.compile(r"\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
URL_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
# A path of two or more segments, not itself the tail of a longer path or URL.
PATH_TOKEN = re.compile(r"(?<![\w./~-])((?:\.{1,2}/)*[\w.-]+(?:/[\w.-]+)*/?)")
BARE_MARKDOWN_FILE = re.compile(r"(?<![\w./~<>{}*$-])([\w-][\w.-]*\.md)\b")
FOREIGN_PATH = re.compile(
    r"(?<![\w.-])(?:"
    + "|".join(re.escape(root) for root in FOREIGN_ROOTS)
    + r")[^\s\"'`)\]>]*"
)
PLACEHOLDER_CHARS = frozenset("<{*$%[")
TRAILING_PUNCTUATION = ".,;:"
HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
FENCE = re.compile(r"^ {0,3}(```|~~~)")


@dataclass(frozen=True)
class BrokenReference:
    """One reference that does not resolve, where it is and why."""

    file: str
    line: int
    reference: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reference}: {self.reason}"


def repository_files(root: Path) -> list[Path]:
    """The files of a clone: tracked or new, not ignored; every file without git."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=root,
            capture_output=True,
            check=True,
        ).stdout.decode()
        candidates = [root / name for name in listed.split("\0") if name]
    except (OSError, subprocess.CalledProcessError):
        candidates = [
            path
            for path in root.rglob("*")
            if not GENERATED_DIRS.intersection(path.relative_to(root).parts)
            and not path.relative_to(root).parts[0].startswith(".venv")
        ]
    return sorted(path for path in candidates if path.is_file())


def heading_anchors(markdown: str) -> set[str]:
    """The anchors GitHub gives a Markdown file's headings (code blocks skipped)."""
    anchors: set[str] = set()
    seen: dict[str, int] = {}
    in_fence = False
    for line in markdown.splitlines():
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        match = None if in_fence else HEADING.match(line)
        if match is None:
            continue
        text = unicodedata.normalize("NFKC", match.group(2)).lower()
        slug = re.sub(r"[^\w\- ]", "", text).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


def _inside(root: Path, path: Path) -> bool:
    return path.resolve().is_relative_to(root.resolve())


def _is_placeholder(text: str, end: int) -> bool:
    return end < len(text) and text[end] in PLACEHOLDER_CHARS


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _check_link(root: Path, source: Path, target: str) -> Iterator[tuple[str, str]]:
    """(reference, reason) for a Markdown link that does not resolve."""
    if URL_SCHEME.match(target):
        return
    path_part, _, anchor = target.partition("#")
    resolved = (source.parent / path_part) if path_part else source
    if not _inside(root, resolved):
        yield target, "points outside the repository"
    elif not resolved.exists():
        yield target, "no such file in the repository"
    elif anchor and resolved.suffix == ".md":
        anchors = heading_anchors(resolved.read_text(encoding="utf-8"))
        if anchor not in anchors:
            yield target, f"no heading with anchor #{anchor} in {path_part or 'it'}"


def _check_path_tokens(
    root: Path, source: Path, text: str, top_level: set[str]
) -> Iterator[tuple[int, str, str]]:
    for match in PATH_TOKEN.finditer(text):
        token = match.group(1).rstrip(TRAILING_PUNCTUATION)
        if "/" not in token or _is_placeholder(text, match.end(1)):
            continue
        offset = match.start(1)
        if token.startswith("../"):
            resolved = source.parent / token
            if not _inside(root, resolved):
                yield offset, token, "points outside the repository"
            elif not resolved.exists():
                yield offset, token, "no such file in the repository"
            continue
        relative = token.removeprefix("./")
        if relative.split("/", 1)[0] in top_level and not (root / relative).exists():
            yield offset, token, "no such file in the repository"


def _check_bare_markdown(
    root: Path, source: Path, text: str
) -> Iterator[tuple[int, str, str]]:
    for match in BARE_MARKDOWN_FILE.finditer(text):
        name = match.group(1)
        before = text[match.start(1) - 1 : match.start(1)]
        after = text[match.end(1) : match.end(1) + 1]
        # a Python string that is just a file name is a value (an output file)
        if source.suffix == ".py" and before in {'"', "'"} and after == before:
            continue
        if not (source.parent / name).exists() and not (root / name).exists():
            yield (
                match.start(1),
                name,
                "no such Markdown file beside it or at the top level; "
                "write the path from the repository root",
            )


def find_broken_references(
    root: Path, files: Iterable[Path] | None = None
) -> list[BrokenReference]:
    """Every reference in ``files`` (default: all) that does not resolve."""
    root = root.resolve()
    files = repository_files(root) if files is None else list(files)
    top_level = {
        path.relative_to(root).parts[0]
        for path in repository_files(root)
        if len(path.relative_to(root).parts) > 1
    } - GENERATED_DIRS
    broken: list[BrokenReference] = []
    for source in files:
        source = source.resolve()
        try:
            text = source.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        name = source.relative_to(root).as_posix()
        if name in SELF_DESCRIBING:
            continue
        found: list[tuple[int, str, str]] = []
        if source.suffix == ".md":
            for match in MARKDOWN_LINK.finditer(text):
                found += [
                    (match.start(1), reference, reason)
                    for reference, reason in _check_link(root, source, match.group(1))
                ]
        found += _check_path_tokens(root, source, text, top_level)
        found += _check_bare_markdown(root, source, text)
        found += [
            (
                match.start(),
                match.group(0).rstrip(TRAILING_PUNCTUATION),
                "an absolute path outside the repository",
            )
            for match in FOREIGN_PATH.finditer(text)
        ]
        broken += [
            BrokenReference(name, _line_of(text, offset), reference, reason)
            for offset, reference, reason in sorted(set(found))
        ]
    return broken


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--root",
        type=Path,
        default=Path(__file__).resolve().parents[1],
        help="the repository to check (default: this one)",
    )
    arguments = parser.parse_args(argv)
    broken = find_broken_references(arguments.root)
    for reference in broken:
        print(reference, file=sys.stderr)
    if broken:
        print(f"{len(broken)} broken reference(s)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
