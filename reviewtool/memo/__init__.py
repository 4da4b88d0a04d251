"""The decision memo: a context of plain values → one Jinja template → HTML and PDF."""
