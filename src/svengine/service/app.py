"""The HTTP service: an ASGI application (Starlette) over the exact JSON API (docs/service.md).

Stateless: every request carries its documents and gets its answer; nothing is kept between
requests and nothing is written to disk except uploaded workbooks, each in a private temporary
folder (mode 0700) removed before the answer is sent. Problems are RFC 9457
`application/problem+json` carrying the same codes, messages and locations as the CLI.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import tempfile
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from svengine.api_json import (
    DocumentInputs,
    UploadedWorkbook,
    evaluate_inputs,
    loads,
    read_documents,
)
from svengine.display import quantity
from svengine.model.bid import Bid
from svengine.problems import InvalidInput, Location, Problem, SvengineError, bounded, problem_count
from svengine.seal.canonical import canonical_json, sha256_hex
from svengine.seal.streaming import file_sha256
from svengine.service.multipart import MultipartError, parse_multipart
from svengine.service.openapi import openapi_document
from svengine.service.settings import Settings
from svengine.version import __version__

PROBLEM_JSON = "application/problem+json"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INVALID_INPUT = "urn:svengine:problem:invalid-input"
REQUEST_MEMBERS = {
    "tender": (dict,),
    "library": (dict, type(None)),
    "bids": (list, dict),
    "scores": (list,),
    "sv_moderation": (list, type(None)),
    "decisions": (dict, type(None)),
}
REQUIRED_MEMBERS = ("tender", "bids", "scores")
_log = logging.getLogger("svengine.service")


class Refused(SvengineError):
    """A request answered with an HTTP problem (status, title, detail, svengine problems)."""

    def __init__(
        self, status: int, title: str, detail: str, problems: list[Problem] | None = None
    ) -> None:
        super().__init__(detail)
        self.status, self.title, self.detail, self.problems = status, title, detail, problems


class _BodyTooLarge(Exception):
    pass


def problem_response(
    status: int,
    title: str,
    detail: str,
    problems: list[Problem] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": INVALID_INPUT if status == 422 else "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
    }
    if problems is not None:
        body["problems"] = [problem.to_dict() for problem in problems]
    return Response(
        json.dumps(body, ensure_ascii=False, indent=2) + "\n",
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


INVALID_TITLE = "The input has problems"
NOTHING_EVALUATED = "nothing was evaluated"
"""What an endpoint that evaluates did not do when its input has problems (`validate` and
`methodology` evaluate nothing, so their detail says only how many problems there are)."""


def _invalid(problems: list[Problem], outcome: str | None = NOTHING_EVALUATED) -> Refused:
    # At most MAX_PROBLEMS are listed; a last `more_problems` entry counts the rest (docs/service.md).
    problems = bounded(problems)
    count = problem_count(problems)
    found = f"{quantity(count)} problem{'s' if count != 1 else ''} in the input"
    return Refused(422, INVALID_TITLE, f"{found}; {outcome}" if outcome else found, problems)


class BodyLimit:
    """ASGI middleware: a request body over the limit is refused (413) before it is all read."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > self.max_bytes:
                    await self._refuse(scope, receive, send)
                    return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _BodyTooLarge
            return message

        await self.app(scope, limited, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = _too_large(self.max_bytes)
        await response(scope, receive, send)


def _too_large(limit: int) -> Response:
    return problem_response(
        413,
        "Request body too large",
        f"the request body is larger than the service's limit of {limit} bytes",
        [Problem("too_large", f"the request body is over {limit} bytes", Location())],
    )


@dataclass
class _Runner:
    """Evaluations in worker threads: at most `max_concurrent` at once, each within the timeout."""

    settings: Settings
    executor: ThreadPoolExecutor | None = None
    slots: asyncio.Semaphore | None = None

    async def run(self, work: Callable[[], Response]) -> Response:
        assert self.executor is not None and self.slots is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.timeout_seconds
        try:
            async with asyncio.timeout(self.settings.timeout_seconds):
                await self.slots.acquire()
        except TimeoutError:
            raise Refused(
                503, "Service busy", "every evaluation slot stayed busy; try again later"
            ) from None
        slots = self.slots
        future = loop.run_in_executor(self.executor, work)
        future.add_done_callback(lambda _: slots.release())  # the slot is held until it ends
        try:
            return await asyncio.wait_for(asyncio.shield(future), deadline - loop.time())
        except TimeoutError:
            raise Refused(
                503,
                "Evaluation took too long",
                f"the request took longer than {self.settings.timeout_seconds:g} seconds",
            ) from None


def _request_documents(body: bytes, settings: Settings) -> dict[str, Any]:
    """The evaluate request's documents, read exactly; its shape problems located by JSON path."""
    try:
        document = loads(body)
    except InvalidInput as error:
        raise _invalid(list(error.problems)) from None
    return _documents(document, settings, required=REQUIRED_MEMBERS)


def _documents(
    document: Any, settings: Settings, required: tuple[str, ...], allowed: set[str] | None = None
) -> dict[str, Any]:
    allowed = allowed or set(REQUEST_MEMBERS)
    if not isinstance(document, dict):
        raise _invalid(
            [Problem("schema", "the request body must be a JSON object", Location(path="$"))]
        )
    problems = [
        Problem("schema", f'"{name}" is a required member of the request', Location(path="$"))
        for name in required
        if name not in document
    ]
    for name, value in document.items():
        if name not in allowed:
            problems.append(
                Problem(
                    "schema",
                    f'"{name}" is not a member of this request (allowed: {", ".join(sorted(allowed))})',
                    Location(path="$"),
                )
            )
        elif not isinstance(value, REQUEST_MEMBERS[name]):
            kinds = " or ".join(
                {dict: "an object", list: "an array", type(None): "null"}[kind]
                for kind in REQUEST_MEMBERS[name]
            )
            problems.append(
                Problem("schema", f'"{name}" must be {kinds}', Location(path=f"$.{name}"))
            )
    if problems:
        raise _invalid(problems)
    bids = document.get("bids")
    if isinstance(bids, list) and len(bids) > settings.max_bids:
        raise _too_many_bids(len(bids), settings)
    return {name: document.get(name) for name in REQUEST_MEMBERS}


def _too_many_bids(count: int, settings: Settings) -> Refused:
    return Refused(
        413,
        "Too many bids",
        f"the request holds {count} bids; the service takes at most {settings.max_bids}",
        [
            Problem(
                "too_many_bids",
                f"{count} bids is more than this service's limit of {settings.max_bids}",
                Location(file="bids"),
            )
        ],
    )


def _checked(documents: dict[str, Any], **extra: Any) -> DocumentInputs:
    inputs, problems = read_documents(**documents, **extra)
    if inputs is None:
        raise _invalid(problems)
    return inputs


def _json_response(text: str) -> Response:
    return Response(text, media_type="application/json")


def _sizes(documents: dict[str, Any]) -> dict[str, int]:
    return {
        name: len(canonical_json(value))
        for name, value in documents.items()
        if value is not None and name != "library"
    } | (
        {"library": len(canonical_json(documents["library"]))}
        if documents.get("library") is not None
        else {}
    )


def _workbook(inputs: DocumentInputs, sizes: dict[str, int]) -> bytes:
    from svengine.io.digests import AuditTrail, InputDigest
    from svengine.report.workbook import workbook_bytes  # XlsxWriter loads only when asked

    result = evaluate_inputs(inputs)
    trail = AuditTrail(
        tuple(
            InputDigest(name, digest, sizes.get(name, 0)) for name, digest in inputs.digests.items()
        ),
        file_sha256(result),
    )
    return workbook_bytes(inputs.tender, result, trail)


def create_app(settings: Settings | None = None) -> Starlette:
    """The service as an ASGI application; `settings` default to the environment's (SVENGINE_*)."""
    settings = settings or Settings.from_env()
    runner = _Runner(settings)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> Any:
        runner.executor = ThreadPoolExecutor(
            max_workers=settings.max_concurrent, thread_name_prefix="svengine"
        )
        runner.slots = asyncio.Semaphore(settings.max_concurrent)
        try:
            yield
        finally:
            runner.executor.shutdown(wait=True, cancel_futures=True)

    def endpoint(
        work: Callable[[Request, bytes], Callable[[], Response]],
    ) -> Callable[[Request], Awaitable[Response]]:
        async def handle(request: Request) -> Response:
            try:
                _authorised(request, settings)
                body = await request.body()
                return await runner.run(work(request, body))
            except Refused as refused:
                headers = {"Retry-After": "5"} if refused.status == 503 else None
                if refused.status == 401:
                    headers = {"WWW-Authenticate": 'Bearer realm="svengine"'}
                return problem_response(
                    refused.status, refused.title, refused.detail, refused.problems, headers
                )
            except _BodyTooLarge:
                return _too_large(settings.max_body_bytes)

        return handle

    def validate(request: Request, body: bytes) -> Callable[[], Response]:
        def work() -> Response:
            inputs = _checked(_request_documents(body, settings))
            return JSONResponse({"valid": True, "bids": len(inputs.bids)})

        return _guarded(work, outcome=None)

    def evaluate(request: Request, body: bytes) -> Callable[[], Response]:
        def work() -> Response:
            inputs = _checked(_request_documents(body, settings))
            return _json_response(evaluate_inputs(inputs).to_json())

        return _guarded(work)

    def workbook(request: Request, body: bytes) -> Callable[[], Response]:
        def work() -> Response:
            documents = _request_documents(body, settings)
            data = _workbook(_checked(documents), _sizes(documents))
            return Response(
                data,
                media_type=XLSX,
                headers={"Content-Disposition": 'attachment; filename="report.xlsx"'},
            )

        return _guarded(work)

    def evaluate_workbooks(request: Request, body: bytes) -> Callable[[], Response]:
        content_type = request.headers.get("content-type", "")

        def work() -> Response:
            return _json_response(
                evaluate_inputs(_from_workbooks(content_type, body, settings)).to_json()
            )

        return _guarded(work)

    def methodology(request: Request, body: bytes) -> Callable[[], Response]:
        fmt = request.query_params.get("format", "markdown")

        def work() -> Response:
            from svengine.report.methodology import render_methodology

            if fmt not in ("markdown", "html"):
                raise _invalid(
                    [
                        Problem(
                            "bad_value",
                            f'format must be "markdown" or "html", not "{fmt}"',
                            Location(path="format"),
                        )
                    ]
                )
            try:
                document = loads(body)
            except InvalidInput as error:
                raise _invalid(list(error.problems)) from None
            documents = _documents(
                document, settings, required=("tender",), allowed={"tender", "library"}
            )
            tender = _tender_only(documents)
            media = "text/markdown" if fmt == "markdown" else "text/html"
            return Response(render_methodology(tender, fmt), media_type=f"{media}; charset=utf-8")

        return _guarded(work, outcome=None)

    def explain(request: Request, body: bytes) -> Callable[[], Response]:
        bidder = request.path_params["bidder"]

        def work() -> Response:
            from svengine.audit.explanation import explain_text

            result = evaluate_inputs(_checked(_request_documents(body, settings)))
            try:
                text = explain_text(result, bidder)
            except KeyError:
                known = ", ".join(sorted({bid.bidder_id for bid in result.bids}))
                raise _invalid(
                    [
                        Problem(
                            "unknown_bidder",
                            f"no bidder {bidder} in the evaluation; the bidders are {known}",
                            Location(path="bidder"),
                            bidder=bidder,
                        )
                    ]
                ) from None
            return Response(text + "\n", media_type="text/plain; charset=utf-8")

        return _guarded(work)

    def summaries(request: Request, body: bytes) -> Callable[[], Response]:
        # reg. 31(3)(d): the successful tender's scores unless a draft asks for none
        include_winner = request.query_params.get("include_winner", "true") != "false"

        def work() -> Response:
            from svengine.report.summaries import summaries as build

            result = evaluate_inputs(_checked(_request_documents(body, settings)))
            documents = build(result, include_winner=include_winner)
            return JSONResponse(
                {
                    bidder: {"markdown": doc.markdown(), "html": doc.html()}
                    for bidder, doc in documents.items()
                }
            )

        return _guarded(work)

    def robustness(request: Request, body: bytes) -> Callable[[], Response]:
        samples_text = request.query_params.get("samples", "1000")
        seed_text = request.query_params.get("seed", "0")

        def work() -> Response:
            from svengine.analysis.robustness import robustness_report

            samples, seed = _whole(samples_text, "samples"), _whole(seed_text, "seed")
            if not 1 <= samples <= settings.max_samples:
                raise _invalid(
                    [
                        Problem(
                            "bad_value",
                            f"samples must be from 1 to {settings.max_samples}, not {samples}",
                            Location(path="samples"),
                        )
                    ]
                )
            inputs = _checked(_request_documents(body, settings))
            report = robustness_report(
                inputs.tender,
                inputs.bids,
                inputs.scores,
                samples=samples,
                seed=seed,
                sv_moderation=inputs.sv_moderation,
                decisions=inputs.decisions,
            )
            return _json_response(json.dumps(report, indent=2, ensure_ascii=False) + "\n")

        return _guarded(work)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok", "engine": "svengine", "version": __version__})

    async def openapi(request: Request) -> Response:
        return JSONResponse(openapi_document())

    async def http_problem(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        return problem_response(
            error.status_code, error.detail, error.detail, headers=dict(error.headers or {})
        )

    post = ["POST"]
    app = Starlette(
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            Route("/openapi.json", openapi, methods=["GET"]),
            Route("/v1/validate", endpoint(validate), methods=post),
            Route("/v1/evaluate", endpoint(evaluate), methods=post),
            Route("/v1/evaluate/workbooks", endpoint(evaluate_workbooks), methods=post),
            Route("/v1/workbook", endpoint(workbook), methods=post),
            Route("/v1/methodology", endpoint(methodology), methods=post),
            Route("/v1/explain/{bidder}", endpoint(explain), methods=post),
            Route("/v1/summaries", endpoint(summaries), methods=post),
            Route("/v1/robustness", endpoint(robustness), methods=post),
        ],
        exception_handlers={HTTPException: http_problem},
        lifespan=lifespan,
    )
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    return app


def _authorised(request: Request, settings: Settings) -> None:
    if settings.api_token is None:
        return
    given = request.headers.get("authorization", "")
    scheme, _, token = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        token.strip().encode("utf-8"), settings.api_token.encode("utf-8")
    ):
        raise Refused(401, "Unauthorised", "this service needs Authorization: Bearer TOKEN")


def _whole(text: str, name: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise _invalid(
            [
                Problem(
                    "bad_value", f"{name} must be a whole number, not {text!r}", Location(path=name)
                )
            ]
        ) from None


def _tender_only(documents: dict[str, Any]) -> Any:
    from svengine.api_json import _library_of, _with_library_path
    from svengine.io.loaders import _tender

    library, problems = (
        _library_of(documents["library"]) if documents["library"] is not None else (None, [])
    )
    if problems:
        raise _invalid(problems)
    tender, problems = _tender(
        _with_library_path(dict(documents["tender"]), library), "tender", None, library
    )
    if tender is None:
        raise _invalid(problems)
    return tender


def _guarded(
    work: Callable[[], Response], outcome: str | None = NOTHING_EVALUATED
) -> Callable[[], Response]:
    """The work, its caller's mistakes answered as problems (422/413) rather than raised; the
    detail of input problems says what this endpoint did not do (`outcome`), where that is true."""

    def run() -> Response:
        try:
            return work()
        except Refused as refused:
            if refused.title == INVALID_TITLE and refused.problems is not None:
                refused = _invalid(refused.problems, outcome)
            return problem_response(refused.status, refused.title, refused.detail, refused.problems)
        except InvalidInput as error:
            invalid = _invalid(list(error.problems), outcome)
            return problem_response(invalid.status, invalid.title, invalid.detail, invalid.problems)

    return run


def _from_workbooks(content_type: str, body: bytes, settings: Settings) -> DocumentInputs:
    """The inputs of a multipart request: bids.xlsx and scores.xlsx as files, the tender, library,
    sv_moderation and decisions as JSON text. Each workbook is read from a private temporary
    folder, removed before this returns."""
    from svengine.excel.workbooks import read_bids_workbook, read_scores_workbook

    try:
        parts = parse_multipart(content_type, body)
    except MultipartError as error:
        raise _invalid([Problem("bad_upload", str(error), Location())]) from None
    documents: dict[str, Any] = {}
    problems: list[Problem] = []
    for name in ("tender", "library", "sv_moderation", "decisions"):
        if name in parts:
            try:
                documents[name] = loads(parts[name].data)
            except InvalidInput as error:
                problems += [p.at(file=name) for p in error.problems]
    for name in ("tender", "bids", "scores"):
        if name not in parts:
            problems.append(
                Problem("missing_file", f'the upload has no "{name}" part', Location(file=name))
            )
    if problems:
        raise _invalid(problems)
    documents = _documents(
        documents,
        settings,
        required=("tender",),
        allowed={"tender", "library", "sv_moderation", "decisions"},
    )
    tender = documents["tender"]
    tender_id = tender.get("id") if isinstance(tender.get("id"), str) else None
    price = tender.get("price")
    price_model = price.get("model") if isinstance(price, dict) else None
    refused: list[
        Bid
    ] = []  # bids present but refused: their scores are still a bidder's with a bid
    with tempfile.TemporaryDirectory(prefix="svengine-") as folder:
        bids_path, scores_path = Path(folder) / "bids.xlsx", Path(folder) / "scores.xlsx"
        bids_path.write_bytes(parts["bids"].data)
        scores_path.write_bytes(parts["scores"].data)
        bids, bid_problems = read_bids_workbook(
            bids_path, tender_id, "bids.xlsx", price_model=price_model, refused=refused
        )
        scores, score_problems = read_scores_workbook(scores_path, tender_id, "scores.xlsx")
    if len(bids) > settings.max_bids:
        raise _too_many_bids(len(bids), settings)
    documents["bids"] = documents["scores"] = None
    return _checked(
        documents,
        workbooks={
            "bids": UploadedWorkbook(bids, bid_problems, sha256_hex(parts["bids"].data), refused),
            "scores": UploadedWorkbook(scores, score_problems, sha256_hex(parts["scores"].data)),
        },
    )
