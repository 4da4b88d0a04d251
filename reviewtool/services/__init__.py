"""Use cases. The only writers of the database: they flush, the faces commit."""
