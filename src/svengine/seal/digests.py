"""The audit block of result.json: engine, input file digests, method digest and result digest.

`sealed()` is pure (objects in, objects out): `svengine.evaluate` uses it so every result names the
engine and the method it was computed with; the folder layer adds the input files' digests with
`with_input_files()`, which re-seals the result. docs/audit.md says exactly what each digest covers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from svengine.model.library import DEFLATOR_FIELDS
from svengine.model.result import Audit, Engine, Result
from svengine.model.tender import Tender
from svengine.seal.canonical import canonical_json, sha256_hex
from svengine.seal.streaming import result_digest, with_seal
from svengine.version import __version__

ENGINE_NAME = "svengine"

# Wording that helps a reader but cannot change a figure; everything else in the tender is method.
_TENDER_WORDING = ("id", "title", "description")
_CRITERION_WORDING = ("title", "description")
_LIBRARY_WORDING = ("licence", "description")
# A measure's scoring fields are its id, proxy_value, basis, first_year_only and record_only.
_MEASURE_WORDING = ("theme", "outcome", "title", "unit", "description")


def engine() -> Engine:
    return Engine(name=ENGINE_NAME, version=__version__)


def method_document(tender: Tender) -> dict[str, Any]:
    """The evaluation method as data: the tender without its wording, plus the library's scoring fields.

    Weights, methods, parameters, thresholds, rounding, tie-break, the supplier size rule, the
    contract value, the allowed measures and every measure's proxy value are in; ids, titles,
    descriptions, the library's file path and licence are out.
    """
    document = tender.model_dump(mode="json")
    for key in _TENDER_WORDING:
        document.pop(key, None)
    for block in ("quality", "social_value"):
        if isinstance(document.get(block), dict):
            for criterion in document[block].get("criteria", []):
                for key in _CRITERION_WORDING:
                    criterion.pop(key, None)
    # Award fields (docs/award.md) left at their defaults are left out, so a tender written before
    # they existed keeps its method digest.
    for key in ("lots", "award", "regime", "authority", "total_points"):
        if document.get(key) is None:
            document.pop(key, None)
    # Likewise the fields of docs/methods.md; descriptors are wording (what a mark is called).
    for block in ("quality", "social_value"):
        if isinstance(document.get(block), dict):
            for part in (document[block], *document[block].get("criteria", [])):
                part.pop("descriptors", None)
                for key in ("allowed_scores", "money_value"):
                    if part.get(key) is None:
                        part.pop(key, None)
    for lot in document.get("lots") or []:
        for key in _CRITERION_WORDING:
            lot.pop(key, None)
    if isinstance(document.get("quality"), dict):
        gates = document["quality"].pop("gates", [])
        for gate in gates:
            for key in _CRITERION_WORDING:
                gate.pop(key, None)
        if gates:
            document["quality"]["gates"] = gates
    if isinstance(document.get("social_value"), dict):
        document["social_value"].pop("library", None)  # where the file was, not what it says
        # Net social value (docs/methods-net.md) left at its defaults is left out, so a tender
        # written before it existed keeps its method digest.
        if document["social_value"].get("count") == "gross":
            document["social_value"].pop("count")
        if document["social_value"].get("deflators") is None:
            document["social_value"].pop("deflators", None)
    library = tender.measure_library
    if library is not None:
        library_document = library.model_dump(mode="json")
        for key in _LIBRARY_WORDING:
            library_document.pop(key, None)
        for measure in library_document["measures"]:
            for key in _MEASURE_WORDING:
                measure.pop(key, None)
            for key in DEFLATOR_FIELDS:  # undeclared deflators: as before they existed
                if measure.get(key) is None:
                    measure.pop(key, None)
        document["measure_library"] = library_document
    return document


def method_sha256(tender: Tender) -> str:
    return sha256_hex(canonical_json(method_document(tender)))


def result_sha256(document: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a result.json document without `audit.result_sha256`."""
    unsealed = dict(document)
    audit = unsealed.get("audit")
    if isinstance(audit, dict):
        unsealed["audit"] = {key: value for key, value in audit.items() if key != "result_sha256"}
    return sha256_hex(canonical_json(unsealed))


def _draft(result: Result, audit: Audit) -> Result:
    return result.model_copy(update={"audit": audit.model_copy(update={"result_sha256": ""})})


def _seal(result: Result, audit: Audit) -> Result:
    draft = _draft(result, audit)
    return with_seal(draft, result_digest(draft))  # = result_sha256(draft.to_dict()), bid by bid


def sealed(result: Result, tender: Tender) -> Result:
    """The result with an audit block naming this engine and the method; no input files yet."""
    audit = Audit(
        engine=engine(), inputs=None, method_sha256=method_sha256(tender), result_sha256=""
    )
    return _seal(result, audit)


def with_input_files(result: Result, files: Mapping[str, bytes]) -> Result:
    """The result re-sealed with the SHA-256 of every input file, keyed by its path in sorted order."""
    if result.audit is None:
        raise ValueError("the result has no audit block; seal it first")
    inputs = {path: sha256_hex(files[path]) for path in sorted(files)}
    return _seal(result, result.audit.model_copy(update={"inputs": inputs}))


def sealed_with_input_files(result: Result, tender: Tender, files: Mapping[str, bytes]) -> Result:
    """`with_input_files(sealed(result, tender), files)` sealed once: the same bytes, half the hashing."""
    return sealed_with_input_digests(
        result, tender, {path: sha256_hex(data) for path, data in files.items()}
    )


def _audit(tender: Tender, digests: Mapping[str, str]) -> Audit:
    inputs = {path: digests[path] for path in sorted(digests)}
    return Audit(
        engine=engine(), inputs=inputs, method_sha256=method_sha256(tender), result_sha256=""
    )


def sealed_with_input_digests(result: Result, tender: Tender, digests: Mapping[str, str]) -> Result:
    """`sealed_with_input_files` given each file's SHA-256 ({path: digest}) instead of its bytes."""
    return _seal(result, _audit(tender, digests))


def draft_with_input_digests(result: Result, tender: Tender, digests: Mapping[str, str]) -> Result:
    """What `sealed_with_input_digests` seals: the audit block complete but its `result_sha256`
    empty. `seal.streaming.SealedOnWrite` seals it while writing result.json."""
    return _draft(result, _audit(tender, digests))
