"""HTTP routes of the national server."""
