"""Print the server's OpenAPI document: ``python -m server.openapi_dump > docs/openapi.json``.

The committed docs/openapi.json must equal this output (a test checks it), so regenerate it after changing the API.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from server.app import create_app
from server.db import Database, make_engine
from server.settings import Settings


def openapi_spec() -> dict[str, Any]:
    """The spec of an app built over a database it never opens (building the spec touches no data)."""
    db = Database(make_engine("sqlite://"))
    try:
        app = create_app(Settings(db_url="sqlite://", blob_dir=Path("unused")), db)
        return app.openapi()
    finally:
        db.dispose()


def openapi_text(spec: dict[str, Any] | None = None) -> str:
    return json.dumps(spec if spec is not None else openapi_spec(), indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    sys.stdout.write(openapi_text())


if __name__ == "__main__":
    main()
