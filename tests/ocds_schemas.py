"""The published OCDS 1.1 schemas kept in tests/data/ocds (README there names source and licence).

An extension's release-schema.json is a JSON Merge Patch (RFC 7386) on the release schema, as OCDS
applies it; nothing is fetched: the schemas are test data.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data" / "ocds"
AWARD_EXTENSIONS = [
    "ocds_bid_extension",
    "ocds_lots_extension",
    "ocds_awardCriteria_extension",
    "ocds_partyDetails_scale_extension",
    "ocds_uk_extension",
]
CONTRACT_EXTENSIONS = ["ocds_metrics_extension", "ocds_uk_extension"]
SCORES_EXTENSION = REPO / "schemas" / "ocds-scores-extension" / "release-schema.json"


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON Merge Patch, as OCDS applies an extension's release-schema.json."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def patched_release_schema(
    extensions: list[str], extra: list[Path] | None = None
) -> dict[str, Any]:
    """The OCDS 1.1 release schema with the named extensions (folders in tests/data/ocds) applied."""
    release = json.loads((DATA / "core" / "release-schema.json").read_text())
    paths = [DATA / "extensions" / name / "release-schema.json" for name in extensions]
    for path in [*paths, *(extra or [])]:
        release = merge_patch(release, json.loads(path.read_text()))
    return release


def package_validator(extensions: list[str], extra: list[Path] | None = None) -> Draft4Validator:
    """A validator of a release package whose releases follow the patched release schema."""
    release = patched_release_schema(extensions, extra)
    package = json.loads((DATA / "core" / "release-package-schema.json").read_text())
    release.pop("id")
    package["properties"]["releases"]["items"] = release
    package["definitions"] = release["definitions"]
    return Draft4Validator(package, format_checker=Draft4Validator.FORMAT_CHECKER)
