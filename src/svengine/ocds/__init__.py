"""The award published as OCDS 1.1 (docs/ocds.md): a release package built from a Result and its tender."""

from svengine.ocds.build import OcdsOptions, release_package
from svengine.ocds.jsontext import dumps_exact
from svengine.ocds.tender_from_ocds import tender_yaml_from_release

__all__ = ["OcdsOptions", "dumps_exact", "release_package", "tender_yaml_from_release"]
