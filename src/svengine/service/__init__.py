"""The HTTP service (`svengine serve`, the `service` extra): see docs/service.md."""
