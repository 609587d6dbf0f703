"""The store on this PC: the SQLite database and its connections and transactions, the key-value metadata,
attachment files, the audit chain."""
