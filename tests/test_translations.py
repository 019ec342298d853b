"""The translation catalogs cover every string in the code, completely and consistently.

Kefu's users read Chinese first and English second, so a string added to the code without a translation
is a bug. When one of these tests fails:

    ./scripts/messages          # regenerates kefu/locale/{zh_Hans,en}/LC_MESSAGES/django.po

then translate every entry of kefu/locale/zh_Hans/LC_MESSAGES/django.po whose msgstr is empty or that is
flagged ``#, fuzzy`` (remove the flag once the translation is right). The English catalog is filled by the
script. No database is needed and nothing is written into the repository: the catalogs are regenerated
in a temporary copy of the source tree.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LOCALES = ("zh_Hans", "en")
CATALOG = "kefu/locale/{locale}/LC_MESSAGES/django.po"
HOW_TO_FIX = (
    "Run ./scripts/messages from the repository root, then translate the empty and fuzzy entries of "
    "kefu/locale/zh_Hans/LC_MESSAGES/django.po (and remove their '#, fuzzy' flags)."
)
# Top-level entries scripts/messages ignores or that hold no source; everything else is copied.
NOT_COPIED = {".git", ".venv", "node_modules", "tests", "bench", "var", "artifacts", "build", "dist"}


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[str, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.msgctxt, self.msgid or "", self.msgid_plural)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    def label(self) -> str:
        context = f" (context {self.msgctxt!r})" if self.msgctxt is not None else ""
        return f"{self.msgid!r}{context}"

    def describe(self) -> str:
        return f"line {self.line}: {self.label()}"


def read_catalog(path: Path) -> list[Entry]:
    """The active entries of a PO file (obsolete ``#~`` entries are left out).

    Entries are split on their keywords, not on blank lines: makemessages --no-location writes the
    header with no blank line after it.
    """
    entries: list[Entry] = []
    current: Entry | None = None
    last: str | None = None  # the keyword that continuation lines ("...") extend

    def start() -> Entry:
        nonlocal current
        if current is not None and current.msgid is not None:
            entries.append(current)
        current = Entry()
        return current

    start()
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        assert current is not None
        if not line:
            last = None
            start()
        elif line.startswith("#"):
            if current.msgid is not None:
                start()
            if line.startswith("#,"):
                current.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
        elif line.startswith('"'):
            assert last is not None, f"{path}:{number}: a string continues no keyword"
            text: str = ast.literal_eval(line)
            if last.startswith("msgstr"):
                current.msgstr[last] += text
            else:
                setattr(current, last, getattr(current, last) + text)
        else:
            keyword, _, literal = line.partition(" ")
            text = ast.literal_eval(literal.strip())
            if (keyword == "msgctxt" and current.msgid is not None) or (
                keyword == "msgid" and current.msgid is not None
            ):
                start()
            if keyword.startswith("msgstr"):
                current.msgstr[keyword] = text
            elif keyword in ("msgctxt", "msgid", "msgid_plural"):
                setattr(current, keyword, text)
                current.line = current.line or number
            else:
                raise AssertionError(f"{path}:{number}: unknown keyword {keyword!r}")
            last = keyword
    start()
    return entries


def _listing(items: list[str]) -> str:
    return "\n".join(f"  - {item}" for item in items)


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    """A copy of the source tree whose catalogs scripts/messages has just regenerated."""
    copy = tmp_path_factory.mktemp("kefu-messages")
    for entry in REPO.iterdir():
        if entry.name in NOT_COPIED or entry.name.startswith(".") or entry.name.endswith(".egg-info"):
            continue
        if entry.is_dir():
            shutil.copytree(entry, copy / entry.name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy2(entry, copy / entry.name)
    # scripts/messages runs $ROOT/.venv/bin/python: the virtualenv running these tests.
    (copy / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    env = {**os.environ, "KEFU_DATA_DIR": str(copy / "var")}
    env.pop("PYTHONPATH", None)
    result = subprocess.run(
        ["bash", str(copy / "scripts" / "messages")],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, (
        f"scripts/messages failed in a copy of the repository (exit {result.returncode}):\n"
        f"{result.stdout}\n{result.stderr}"
    )
    return copy


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_has_exactly_the_strings_of_the_code(regenerated, locale):
    committed_path = REPO / CATALOG.format(locale=locale)
    assert committed_path.is_file(), f"{committed_path} is missing. {HOW_TO_FIX}"
    committed = {entry.key: entry for entry in read_catalog(committed_path) if not entry.is_header}
    fresh = {
        entry.key: entry
        for entry in read_catalog(regenerated / CATALOG.format(locale=locale))
        if not entry.is_header
    }

    missing = sorted((key for key in fresh.keys() - committed.keys()), key=str)
    stale = sorted((key for key in committed.keys() - fresh.keys()), key=str)
    problems = []
    if missing:
        problems.append(
            f"{len(missing)} string(s) in the code are not in {CATALOG.format(locale=locale)}:\n"
            + _listing([fresh[key].label() for key in missing])
        )
    if stale:
        problems.append(
            f"{len(stale)} entr(ies) of {CATALOG.format(locale=locale)} are no longer in the code:\n"
            + _listing([committed[key].describe() for key in stale])
        )
    assert not problems, "\n".join([*problems, HOW_TO_FIX])


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_is_completely_translated(locale):
    path = REPO / CATALOG.format(locale=locale)
    assert path.is_file(), f"{path} is missing. {HOW_TO_FIX}"
    entries = read_catalog(path)
    assert entries, f"{path} has no entries. {HOW_TO_FIX}"
    assert entries[0].is_header, f"{path} has no header entry. {HOW_TO_FIX}"

    fuzzy = [entry.describe() for entry in entries if "fuzzy" in entry.flags]
    untranslated = [
        entry.describe()
        for entry in entries
        if not entry.is_header and (not entry.msgstr or not all(entry.msgstr.values()))
    ]
    problems = []
    if untranslated:
        problems.append(f"{len(untranslated)} untranslated entr(ies) in {path}:\n" + _listing(untranslated))
    if fuzzy:
        problems.append(
            f"{len(fuzzy)} fuzzy entr(ies) in {path} (check the translation, then remove '#, fuzzy'):\n"
            + _listing(fuzzy)
        )
    assert not problems, "\n".join([*problems, HOW_TO_FIX])


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_compiles_with_msgfmt_check(locale, tmp_path):
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt is not installed: install GNU gettext (apt-get install gettext)."
    path = REPO / CATALOG.format(locale=locale)
    result = subprocess.run(
        [msgfmt, "--check", "--output-file", str(tmp_path / "django.mo"), str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, (
        f"msgfmt --check rejects {path} (placeholders such as %(name)s, %d or {{{{ }}}} must be the same "
        f"in msgid and msgstr; the header needs Language, Plural-Forms and charset=UTF-8):\n"
        f"{result.stderr}\n{HOW_TO_FIX}"
    )
