"""multipart/form-data read in memory with python-multipart (the body is already bounded).

Starlette's own form reader spools a large file to the system's temporary folder; reading the
bounded body here keeps every byte in memory until a workbook is written to the request's private
temporary folder (service/app.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from python_multipart.multipart import MultipartParser, parse_options_header

from svengine.problems import SvengineError

MAX_PARTS = 16
NAMES = ("tender", "library", "bids", "scores", "sv_moderation", "decisions")


class MultipartError(SvengineError, ValueError):
    """The upload is not a multipart/form-data body this service takes (the message says why)."""


@dataclass
class Part:
    name: str
    filename: str | None = None
    chunks: list[bytes] = field(default_factory=list)

    @property
    def data(self) -> bytes:
        return b"".join(self.chunks)


def parse_multipart(content_type: str, body: bytes) -> dict[str, Part]:
    """The named parts of a multipart/form-data body: {name: Part}; a name given twice is refused."""
    kind, options = parse_options_header(content_type)
    if kind != b"multipart/form-data":
        raise MultipartError("the upload must be multipart/form-data")
    boundary = options.get(b"boundary")
    if not boundary:
        raise MultipartError("the multipart/form-data content type names no boundary")
    parts: list[Part] = []
    headers: dict[bytes, bytes] = {}
    field_name: list[bytes] = []
    field_value: list[bytes] = []

    def on_part_begin() -> None:
        headers.clear()

    def on_header_field(data: bytes, start: int, end: int) -> None:
        field_name.append(data[start:end])

    def on_header_value(data: bytes, start: int, end: int) -> None:
        field_value.append(data[start:end])

    def on_header_end() -> None:
        headers[b"".join(field_name).lower()] = b"".join(field_value)
        field_name.clear()
        field_value.clear()

    def on_headers_finished() -> None:
        disposition, params = parse_options_header(headers.get(b"content-disposition", b""))
        name = params.get(b"name")
        if disposition != b"form-data" or not name:
            raise MultipartError("every part must be form-data with a name")
        if len(parts) >= MAX_PARTS:
            raise MultipartError(f"the upload has more than {MAX_PARTS} parts")
        filename = params.get(b"filename")
        parts.append(
            Part(
                name.decode("utf-8", "replace"),
                filename.decode("utf-8", "replace") if filename else None,
            )
        )

    def on_part_data(data: bytes, start: int, end: int) -> None:
        parts[-1].chunks.append(data[start:end])

    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": on_part_begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_headers_finished": on_headers_finished,
            "on_part_data": on_part_data,
        },
    )
    try:
        parser.write(body)
        parser.finalize()
    except MultipartError:
        raise
    except Exception as error:  # python-multipart's own errors: a malformed body
        raise MultipartError(f"the multipart body cannot be read: {error}") from None
    named: dict[str, Part] = {}
    for part in parts:
        if part.name not in NAMES:
            raise MultipartError(
                f'the upload has a part "{part.name}"; the parts are {", ".join(NAMES)}'
            )
        if part.name in named:
            raise MultipartError(f'the upload has the part "{part.name}" twice')
        named[part.name] = part
    return named
