"""Text shown to a person, with the characters that could disguise it made visible.

A bidder name or a file name is chosen by someone else. A line feed in it can forge a whole line of
output; a carriage return can overwrite one; U+202E (right-to-left override) shows `gpj.exe` as
`exe.jpg`; U+2028 breaks a line where no line break is seen. Wherever such text is displayed (the
terminal table, messages, HTML and Markdown documents) these characters are written as escapes
such as `\\n` or `\\u202e`, so what is shown is what is there (docs/reliability.md).
"""

from __future__ import annotations

import re

_SPOOFING = re.compile(
    "[\x00-\x1f\x7f-\x9f"  # C0 and C1 controls, DEL (line feed, carriage return and tab included)
    "\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"  # bidirectional and invisible
    "\u2028\u2029"  # line and paragraph separators
    "\ud800-\udfff]"  # lone surrogates (cannot be printed at all)
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    character = match.group()
    if character in _NAMED:
        return _NAMED[character]
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: str) -> str:
    """`text` on one line, every control, bidirectional or invisible formatting character escaped."""
    return _SPOOFING.sub(_escape, text)


def shown_lines(text: str) -> str:
    """Like `shown`, keeping the line feeds that separate lines of the engine's own output."""
    return "\n".join(shown(line) for line in text.split("\n"))
