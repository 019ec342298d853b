"""What the help-desk exports share: reading their files from a ZIP or a folder, and mapping their
statuses and priorities onto this help desk's (by kind, so renamed statuses still match)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kefu.tickets.selectors import priority_list, status_list


class Bundle:
    """The files of an export, in a ZIP archive or a folder, found by name whatever their folder."""

    def __init__(self, path: str):
        self.path = Path(path)
        self.archive = zipfile.ZipFile(self.path) if zipfile.is_zipfile(self.path) else None

    def names(self) -> list[str]:
        if self.archive is not None:
            return sorted(name for name in self.archive.namelist() if not name.endswith("/"))
        return sorted(str(p.relative_to(self.path)) for p in self.path.rglob("*") if p.is_file())

    def find(self, *patterns: str) -> list[str]:
        """Files whose base name starts with one of ``patterns`` (any case), in name order."""
        wanted = tuple(pattern.casefold() for pattern in patterns)
        return [name for name in self.names() if Path(name).name.casefold().startswith(wanted)]

    def open_text(self, name: str) -> io.TextIOBase:
        if self.archive is not None:
            return io.TextIOWrapper(self.archive.open(name), encoding="utf-8-sig", newline="")
        return (self.path / name).open(encoding="utf-8-sig", newline="")

    def extract(self, name: str, folder: Path) -> Path:
        """A file of the bundle on disk (the CSV reader works on paths)."""
        if self.archive is None:
            return self.path / name
        target = folder / Path(name).name
        if not target.exists():
            target.write_bytes(self.archive.read(name))
        return target


def json_objects(handle: io.TextIOBase, key: str) -> Iterator[dict[str, Any]]:
    """Objects of a Zendesk JSON file: newline-delimited (the account export), one JSON array, or an
    API page ``{"tickets": [...]}``."""
    first = handle.read(1)
    while first and first.isspace():
        first = handle.read(1)
    rest = handle.read()
    text = first + rest
    if first == "[":
        yield from json.loads(text)
        return
    if first == "{":
        try:
            whole = json.loads(text)
        except json.JSONDecodeError:
            whole = None
        if isinstance(whole, dict):
            if isinstance(whole.get(key), list):
                yield from whole[key]
            else:
                yield whole
            return
    for line in text.splitlines():
        if line.strip():
            yield json.loads(line)


def status_for(kind: str) -> int | None:
    """This help desk's status for a kind of state: ``new``, ``open``, ``on_hold`` or ``closed``."""
    statuses = list(status_list())
    if kind == "new":
        found = next((status for status in statuses if status.is_default), None)
        return found.pk if found else None
    if kind == "open":
        found = next((s for s in statuses if s.status_type == "open" and not s.is_default), None) or next(
            (s for s in statuses if s.status_type == "open"), None
        )
        return found.pk if found else None
    found = next((status for status in statuses if status.status_type == kind), None)
    return found.pk if found else None


def priority_for(word: str) -> int | None:
    """This help desk's priority for low / normal / high / urgent, by position (lowest last)."""
    priorities = list(priority_list())
    if not priorities or not word:
        return None
    ranks = {"urgent": 0, "high": 1, "normal": 2, "medium": 2, "low": 3}
    rank = ranks.get(word.strip().casefold())
    if rank is None:
        return None
    index = round(rank * (len(priorities) - 1) / 3)
    return priorities[index].pk
