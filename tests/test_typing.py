"""The package type-checks under mypy --strict (configured in pyproject.toml), as the style guide asks."""

import subprocess
import sys

from conftest import REPO


def test_mypy_strict_is_clean() -> None:
    run = subprocess.run([sys.executable, "-m", "mypy"], capture_output=True, text=True, cwd=REPO)
    assert run.returncode == 0, run.stdout + run.stderr
