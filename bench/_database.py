"""What the benchmark scripts share: making their PostgreSQL database when it is missing."""

from urllib.parse import urlsplit, urlunsplit


def ensure_database(url):
    """Create the database *url* names if it does not exist yet (on the same server).

    Exits with a sentence, not a traceback, when the server cannot be reached.
    """
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        raise SystemExit(f"The benchmarks need PostgreSQL: {url!r} is not a postgres:// URL.")
    name = parts.path.lstrip("/")
    try:
        connection = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    except psycopg2.OperationalError as error:
        first_line = str(error).strip().splitlines()[0]
        message = f"Cannot reach PostgreSQL at {parts.hostname}:{parts.port}: {first_line}"
        raise SystemExit(message) from None
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            print(f"Creating the database {name}…", flush=True)
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connection.close()
