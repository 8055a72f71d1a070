"""A client in another language (Node.js, ajv Draft 2020-12) gets the CLI's result.json over HTTP."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("uvicorn")
if shutil.which("node") is None or shutil.which("npm") is None:
    pytest.skip("node is not installed", allow_module_level=True)

from service_server import running_service
from svengine.api_json import dumps, folder_documents
from svengine.cli.main import main

REPO = Path(__file__).resolve().parent.parent
CLIENT = REPO / "tests" / "node_client"
EXAMPLES = sorted(p for p in (REPO / "examples").iterdir() if (p / "tender.yaml").exists())


def without_input_record(text: bytes) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(text)
    del document["audit"]["inputs"], document["audit"]["result_sha256"]
    return document


def test_node_client_gets_the_clis_result_json(tmp_path: Path) -> None:
    # `npm ci` installs exactly the locked versions (package-lock.json) from the npm registry.
    if not (CLIENT / "node_modules" / "ajv").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=CLIENT, check=True)
    with running_service() as base:
        for folder in EXAMPLES:
            request = tmp_path / f"{folder.name}.json"
            request.write_text(dumps(folder_documents(folder)), encoding="utf-8")
            out = tmp_path / folder.name
            # The command's own entry point in this process: what is compared is its result.json
            # (tests/test_cli.py runs the command as a separate process).
            assert main(["evaluate", str(folder), "--out", str(out)]) == 0
            done = subprocess.run(
                [
                    "node",
                    str(CLIENT / "client.mjs"),
                    base,
                    str(request),
                    str(REPO / "schemas"),
                    str(tmp_path / f"{folder.name}.result.json"),
                ],
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert done.returncode == 0, done.stderr
            assert without_input_record(
                (tmp_path / f"{folder.name}.result.json").read_bytes()
            ) == without_input_record((out / "result.json").read_bytes())
