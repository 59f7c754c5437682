"""Open an Odoo registry from the source tree for the benchmark scripts."""

import os
import sys
from pathlib import Path

ODOO_SRC = os.environ.get("ODOO_SRC", "/opt/odoo-src")
sys.path.insert(0, ODOO_SRC)
REPO = Path(__file__).resolve().parent.parent

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
