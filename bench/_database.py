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


def warm_database(url):
    """Read the articles' tables and indexes (their TOASTed bodies too) into the operating
    system's file cache with `pg_prewarm` (mode ``read``: shared buffers are left as they
    are), as a server that has run a while holds them; say how much and how long.

    A freshly seeded or restored 16 GB database is mostly on disk: the first run after it
    measured disk reads (uncached category 14 ms of CPU a request, 4 % of the bare view,
    against 8 ms and 9 % once read). Without the extension (contrib), it says so and goes on.
    """
    import time

    import psycopg2

    connection = psycopg2.connect(url)
    connection.autocommit = True
    started = time.monotonic()
    with connection.cursor() as cursor:
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        except psycopg2.Error as error:
            print(f"Not warming the database (pg_prewarm: {str(error).strip()})", flush=True)
            connection.close()
            return
        # The app's tables, their TOAST tables, and the indexes of both.
        cursor.execute(
            "WITH base AS (SELECT oid, reltoastrelid FROM pg_class WHERE relkind = 'r'"
            "   AND relnamespace = 'public'::regnamespace AND relname LIKE 'articles\\_%'),"
            " tables AS (SELECT oid FROM base UNION"
            "   SELECT reltoastrelid FROM base WHERE reltoastrelid <> 0)"
            " SELECT oid::regclass::text FROM tables UNION"
            " SELECT indexrelid::regclass::text FROM pg_index"
            "   WHERE indrelid IN (SELECT oid FROM tables)"
        )
        relations = [row[0] for row in cursor.fetchall()]
        blocks = 0
        for relation in relations:
            cursor.execute("SELECT pg_prewarm(%s::regclass, 'read')", [relation])
            blocks += cursor.fetchone()[0]
    connection.close()
    print(
        f"Database read into the file cache: {blocks * 8 / 1024:,.0f} MB of {len(relations)}"
        f" tables and indexes in {time.monotonic() - started:.0f} s.",
        flush=True,
    )
