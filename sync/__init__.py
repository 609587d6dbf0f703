"""Client sync engine and the wire protocol it shares with the national server (no Qt)."""
