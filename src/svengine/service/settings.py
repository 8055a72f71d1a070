"""The service's limits and token, from the environment (SVENGINE_*) or `svengine serve` options.

Every limit has a safe default; docs/service.md lists them. The service holds no state between
requests: these are the only things it keeps.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass

MiB = 1024 * 1024


@dataclass(frozen=True)
class Settings:
    max_body_bytes: int = 16 * MiB
    """Largest request body read (JSON or multipart); a larger one is refused with 413."""
    max_bids: int = 2_000
    """Most bids one request may hold (each lot's bid counts); more is refused with 413."""
    timeout_seconds: float = 60.0
    """Longest an evaluation may take before the request is answered 503 (its worker still finishes)."""
    max_concurrent: int = 2
    """Evaluations run at once; a request beyond them is answered 503 with Retry-After."""
    max_samples: int = 10_000
    """Most samples a robustness request may ask for."""
    api_token: str | None = None
    """With a token, every /v1/ request needs `Authorization: Bearer TOKEN`."""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for name, kind in (
            ("max_body_bytes", int),
            ("max_bids", int),
            ("timeout_seconds", float),
            ("max_concurrent", int),
            ("max_samples", int),
        ):
            text = env.get(f"SVENGINE_{name.upper()}")
            if text:
                try:
                    value = kind(text)
                except ValueError:
                    raise ValueError(
                        f"SVENGINE_{name.upper()} must be a number, not {text!r}"
                    ) from None
                if value <= 0:
                    raise ValueError(f"SVENGINE_{name.upper()} must be above 0, not {text!r}")
                values[name] = value
        values["api_token"] = env.get("SVENGINE_API_TOKEN") or None
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    def to_env(self) -> dict[str, str]:
        """The settings as the SVENGINE_* variables `from_env` reads back (token included if set)."""
        env = {
            f"SVENGINE_{name.upper()}": repr(getattr(self, name))
            for name in (
                "max_body_bytes",
                "max_bids",
                "timeout_seconds",
                "max_concurrent",
                "max_samples",
            )
        }
        if self.api_token:
            env["SVENGINE_API_TOKEN"] = self.api_token
        return env


def is_loopback(host: str) -> bool:
    """True for a host only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
