"""Open an Odoo registry from the source tree for the benchmark scripts."""

import os
import sys
from pathlib import Path

ODOO_SRC = os.environ.get("ODOO_SRC", "/opt/odoo-src")
sys.path.insert(0, ODOO_SRC)
# AFTERSALES_BENCH_REPO: another checkout (an earlier release) to measure instead.
REPO = Path(os.environ.get("AFTERSALES_BENCH_REPO") or Path(__file__).resolve().parent.parent)

import odoo  # noqa: E402
from odoo.modules.registry import Registry  # noqa: E402


def open_registry(db):
    """Configure Odoo with this repository on the addons path and load ``db``.

    AFTERSALES_EXTRA_ADDONS adds a directory (the suite's OCA reference modules)."""
    extra = os.environ.get("AFTERSALES_EXTRA_ADDONS")
    odoo.tools.config.parse_config(
        [
            f"--addons-path={ODOO_SRC}/addons,{ODOO_SRC}/odoo/addons,{REPO}"
            + (f",{extra}" if extra else ""),
            "--log-level=warn",
            "-d",
            db,
        ]
    )
    return Registry(db)


def vacuum(db, tables):
    """VACUUM FULL ANALYZE what rolled-back inserts left dead, outside a transaction, so
    that the tables and their indexes shrink back; a table locked by someone else for more
    than 5 s is left to autovacuum."""
    import psycopg2

    from odoo.sql_db import connection_info_for
    from odoo.tools import SQL

    info = connection_info_for(db)[1]
    cnx = psycopg2.connect(**info)
    try:
        cnx.autocommit = True  # VACUUM cannot run in a transaction block
        with cnx.cursor() as cur:
            cur.execute("SET lock_timeout = '5s'")
            for table in tables:
                try:
                    cur.execute(SQL("VACUUM (FULL, ANALYZE) %s", SQL.identifier(table)).code)
                except psycopg2.errors.LockNotAvailable:
                    print(f"{table} is busy: left to autovacuum", file=sys.stderr)
    finally:
        cnx.close()
