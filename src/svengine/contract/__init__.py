"""After award: a contract's social value commitments, returns, moderation, KPIs and ratings.

The pure core of `svengine contract` and `svengine portfolio` (docs/contracts.md): typed objects and
functions over exact Decimals and Fractions, with no files, no network and no clock. Readers and
writers live in `svengine.io.contract_files`; the command line in `svengine.cli.contract`.
"""
