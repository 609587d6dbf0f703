"""Taking a complaint in: the intake sections (one interface, shown all in one scrolling form for staff and one per
page at the counter), live validation, drafts kept on disk while the form is open, the likely-duplicate step and the
staff's intake form. Translation area ``intake``."""
