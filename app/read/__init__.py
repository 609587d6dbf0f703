"""Read models: the complaint list and detail queries, the search index, the choices forms offer."""
