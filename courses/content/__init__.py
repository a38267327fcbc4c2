"""Content files (content/courses/…) ⇄ database: load, validate, sync, export."""
