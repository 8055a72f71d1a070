"""The seal of a result (pure, core level): canonical JSON, the method and result digests, the audit block.

`svengine.evaluate` seals every result it returns with these, so they sit beside the core rather
than in `audit` (which records, bundles and verifies evaluations and re-uses them): the core
(`model`, `checks`, `scoring`) never imports `audit`. docs/audit.md says what each digest covers.
"""
