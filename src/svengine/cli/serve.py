"""`svengine serve [--host 127.0.0.1] [--port 8000]`: the HTTP service (docs/service.md)."""

from __future__ import annotations

import argparse
import os
import sys

from svengine.cli.common import EXIT_OK, EXIT_USAGE


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="run the HTTP service (needs the `service` extra: pip install svengine[service])",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument(
        "--max-body-bytes", type=int, help="largest request body (SVENGINE_MAX_BODY_BYTES)"
    )
    parser.add_argument("--max-bids", type=int, help="most bids per request (SVENGINE_MAX_BIDS)")
    parser.add_argument(
        "--timeout", type=float, help="seconds per request (SVENGINE_TIMEOUT_SECONDS)"
    )
    parser.add_argument(
        "--max-concurrent", type=int, help="evaluations at once (SVENGINE_MAX_CONCURRENT)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="server processes (default 1); evaluations are CPU-bound, so use up to one per core",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from svengine.service.app import create_app
        from svengine.service.settings import Settings, is_loopback
    except ImportError as error:
        print(
            f"svengine serve needs the service extra (pip install 'svengine[service]'): {error}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    for name in ("max_body_bytes", "max_bids", "timeout", "max_concurrent", "workers"):
        value = getattr(args, name)
        if value is not None and value <= 0:
            print(f"svengine serve: --{name.replace('_', '-')} must be above 0", file=sys.stderr)
            return EXIT_USAGE
    try:
        settings = Settings.from_env(
            max_body_bytes=args.max_body_bytes,
            max_bids=args.max_bids,
            timeout_seconds=args.timeout,
            max_concurrent=args.max_concurrent,
        )
    except ValueError as error:
        print(f"svengine serve: {error}", file=sys.stderr)
        return EXIT_USAGE
    if settings.api_token is None and not is_loopback(args.host):
        print(
            f"svengine serve: refusing to listen on {args.host} without a token; set "
            "SVENGINE_API_TOKEN (clients send Authorization: Bearer TOKEN) or bind to 127.0.0.1",
            file=sys.stderr,
        )
        return EXIT_USAGE
    options = {
        "host": args.host,
        "port": args.port,
        "log_level": "info",
        "proxy_headers": True,
        "server_header": False,
    }
    if args.workers == 1:
        uvicorn.run(create_app(settings), **options)
        return EXIT_OK
    # Several processes: uvicorn starts each from the import string, and each reads its settings
    # from the environment, so the options given here are passed on through it. Each process keeps
    # its own limit of concurrent evaluations; the service holds no state, so any process may
    # answer any request.
    os.environ.update(settings.to_env())
    uvicorn.run(
        "svengine.service.app:create_app",
        factory=True,
        workers=args.workers,
        **options,
    )
    return EXIT_OK
