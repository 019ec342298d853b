#!/usr/bin/env python3
"""Make the English catalog an identity catalog: English source strings are the English text.

Usage: fill_en_catalog.py PATH/TO/en/LC_MESSAGES/django.po

For every active (non-obsolete) entry of the catalog:

* an empty ``msgstr`` becomes a copy of ``msgid``; in a plural entry ``msgstr[0]`` becomes ``msgid`` and
  every further form ``msgid_plural``;
* a ``fuzzy`` entry (msgmerge's guess from a *different* old string) is reset the same way, because the
  guess is English text for another message;
* the ``fuzzy`` flag and the ``#|`` previous-msgid comments that come with it are removed.

The header loses its ``fuzzy`` flag and gets ``Language: en`` if the field is empty. Translations that are
already there and not fuzzy are left alone. Only the standard library is used; string literals are copied
verbatim, so escapes and line wrapping survive unchanged.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")\s*$')


@dataclass
class Entry:
    comments: list[str] = field(default_factory=list)
    # (keyword, its string-literal lines), in file order
    fields: list[tuple[str, list[str]]] = field(default_factory=list)

    def has(self, keyword: str) -> bool:
        return any(name == keyword for name, _ in self.fields)


def parse(text: str) -> list[Entry]:
    """Split a PO file into entries without relying on blank lines between them.

    (Django's makemessages --no-location writes the header with no blank line after it.)
    """
    entries: list[Entry] = []
    current = Entry()

    def start_new() -> None:
        nonlocal current
        if current.comments or current.fields:
            entries.append(current)
        current = Entry()

    for line in text.splitlines():
        if not line.strip():
            start_new()
            continue
        match = KEYWORD.match(line)
        if line.startswith("#"):
            if current.fields:
                start_new()
            current.comments.append(line)
        elif match:
            name = match.group(1)
            if (name == "msgctxt" and current.fields) or (name == "msgid" and current.has("msgid")):
                start_new()
            current.fields.append((name, [match.group(2)]))
        elif line.startswith('"') and current.fields:
            current.fields[-1][1].append(line)
        else:
            raise ValueError(f"cannot read this line of the catalog: {line!r}")
    start_new()
    return entries


def _is_empty(literals: list[str]) -> bool:
    return all(literal.strip() == '""' for literal in literals)


def _without_fuzzy(comments: list[str]) -> tuple[list[str], bool]:
    """Comments with the fuzzy flag (and the previous-msgid lines) removed; whether it was there."""
    was_fuzzy = False
    kept: list[str] = []
    for line in comments:
        if line.startswith("#,"):
            flags = [flag.strip() for flag in line[2:].split(",") if flag.strip()]
            if "fuzzy" in flags:
                was_fuzzy = True
                flags = [flag for flag in flags if flag != "fuzzy"]
            if flags:
                kept.append("#, " + ", ".join(flags))
            continue
        kept.append(line)
    if was_fuzzy:
        kept = [line for line in kept if not line.startswith("#|")]
    return kept, was_fuzzy


def fill_entry(entry: Entry) -> Entry:
    if not entry.has("msgid"):
        return entry  # obsolete (#~) entries and stray comments stay as they are
    comments, was_fuzzy = _without_fuzzy(entry.comments)
    fields = dict(entry.fields)
    msgid = fields["msgid"]
    if _is_empty(msgid) and not entry.has("msgctxt"):  # the header
        header = [
            (name, [re.sub(r'^"Language: \\n"$', r'"Language: en\\n"', line) for line in literals])
            for name, literals in entry.fields
        ]
        return Entry(comments, header)

    translations = [(name, literals) for name, literals in entry.fields if name.startswith("msgstr")]
    if was_fuzzy or all(_is_empty(literals) for _, literals in translations):
        plural = fields.get("msgid_plural")
        translations = [
            (name, msgid if name in ("msgstr", "msgstr[0]") or plural is None else plural)
            for name, _ in translations
        ]
    sources = [(name, literals) for name, literals in entry.fields if not name.startswith("msgstr")]
    return Entry(comments, sources + translations)


def render(entries: list[Entry]) -> str:
    blocks = []
    for entry in entries:
        lines = list(entry.comments)
        for name, literals in entry.fields:
            lines.append(f"{name} {literals[0]}")
            lines.extend(literals[1:])
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        sys.stderr.write(f"usage: {argv[0]} PATH/TO/en/LC_MESSAGES/django.po\n")
        return 2
    path = Path(argv[1])
    before = path.read_text(encoding="utf-8")
    after = render([fill_entry(entry) for entry in parse(before)])
    if after != before:
        path.write_text(after, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
