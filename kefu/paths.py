"""Where an installation keeps its files, known without starting Django.

``KEFU_DATA_DIR`` (from the environment or a ``.env`` file in the working directory) holds the SQLite
database, attachments, the embedded job queue and the mail spool. The settings module and the commands
that must start in milliseconds (``kefu mail ingest --spool``) both read it from here.
"""

from __future__ import annotations

import os
from pathlib import Path

from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent


def data_dir() -> Path:
    load_dotenv(Path.cwd() / ".env")
    return Path(os.environ.get("KEFU_DATA_DIR", str(BASE_DIR.parent / "var"))).resolve()
