"""The `svengine` command: one small module per subcommand, each a thin layer over the API."""
