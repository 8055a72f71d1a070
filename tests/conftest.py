import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import os
import shutil

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(p for p in (REPO / "examples").iterdir() if (p / "tender.yaml").exists())


@pytest.fixture
def housing(tmp_path: Path) -> Path:
    """A private copy of examples/housing-repairs (with the library beside it) to break in tests."""
    shutil.copytree(REPO / "toms", tmp_path / "toms")
    target = tmp_path / "examples" / "housing-repairs"
    shutil.copytree(REPO / "examples" / "housing-repairs", target)
    return target


# Tests want a bug's traceback, not the friendly "internal error" line the CLI prints for users.
os.environ.setdefault("SVENGINE_DEBUG", "1")
