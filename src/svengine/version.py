"""The engine's version, as installed."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("svengine")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"
