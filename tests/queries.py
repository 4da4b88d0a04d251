"""Counting the SQL statements a page load issues (pages must not query per row)."""

from sqlalchemy import event


def statements_for(app, client, url: str) -> int:
    """How many statements a warm GET of `url` issues (it must answer 200)."""
    engine = app.extensions["reviewtool.db"].engine
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    client.get(url)  # warm: whatever is loaded once per process is not the page's cost
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def statements_of(engine, call):
    """(what `call()` returns, how many statements it issued), savepoints left out."""
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if not statement.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        value = call()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return value, len(seen)
