"""The `svengine` command line: parses arguments and hands over to one subcommand module."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from svengine.cli import (
    award_report,
    batch,
    contract,
    evaluate,
    explain,
    init,
    library,
    methodology,
    ocds,
    pack,
    panel,
    portfolio,
    robustness,
    serve,
    stress,
    summaries,
    template,
    validate,
    verify,
)
from svengine.cli.common import (
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    print_problems,
    problems_outcome,
)
from svengine.problems import InvalidInput, OutputExists
from svengine.version import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="svengine",
        description="Social value scoring and tender evaluation: exact, explained, reproducible.",
    )
    parser.add_argument("--version", action="version", version=f"svengine {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (
        evaluate,
        validate,
        library,
        template,
        panel,
        verify,
        explain,
        methodology,
        stress,
        robustness,
        summaries,
        award_report,
        batch,
        serve,
        contract,
        portfolio,
        ocds,
        init,
        pack,
    ):
        module.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit:  # argparse exits 2 on usage errors and 0 for --help/--version
        return int(exit.code or 0) if exit.code in (0, None) else EXIT_USAGE
    try:
        code: int = args.run(args)
    except InvalidInput as error:
        print_problems(error.problems, problems_outcome(args))
        return EXIT_PROBLEMS
    except OutputExists as error:
        print(f"svengine: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `svengine explain ... | head` closed the pipe: not an error; keep Python from complaining at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as error:  # the machine said no: permissions, a full disk, a vanished folder
        where = f" {error.filename}" if error.filename else ""
        print(f"svengine: cannot read or write{where}: {error.strerror or error}", file=sys.stderr)
        return EXIT_PROBLEMS
    except Exception as error:
        if os.environ.get("SVENGINE_DEBUG"):
            raise
        print(
            f"svengine: internal error ({type(error).__name__}: {error}). This is a bug in svengine, not a problem"
            " with your input; nothing was written. Please report it with the command you ran; set"
            " SVENGINE_DEBUG=1 to see the details.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    return code


if __name__ == "__main__":
    sys.exit(main())
