#!/usr/bin/env bash
# Command 1: set up everything and serve the demo at http://127.0.0.1:8069.
#   Debian packages, Python 3.12 venv with Odoo's requirements, PostgreSQL
#   started with a role for you, database with the add-on and demo data.
#   Idempotent: run it again to update the add-on and serve.
# Odoo: the tree at ODOO_SRC (default /opt/odoo-src); when there is none, Odoo 18.0 is
#   downloaded there from ODOO_GIT_URL (official repository, shallow, commit pinned in
#   scripts/odoo-commit or ODOO_GIT_COMMIT).
# Environment: ODOO_SRC, AFTERSALES_VENV (default ./.venv),
#   AFTERSALES_DB (default aftersales_demo), AFTERSALES_NO_SERVE=1 to stop after setup.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DB="${AFTERSALES_DB:-aftersales_demo}"

ensure_debian_packages
ensure_odoo_src
ensure_venv
ensure_postgres

if psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1; then
    step "Updating aftersales_service in database $DB"
    odoo_bin -d "$DB" -u aftersales_service --stop-after-init --log-level=warn
else
    step "Creating database $DB with aftersales_service and demo data"
    odoo_bin -d "$DB" -i aftersales_service --stop-after-init --log-level=warn
fi

if [ "${AFTERSALES_NO_SERVE:-0}" = "1" ]; then
    step "Database $DB is ready."
    exit 0
fi
step "Serving $DB at http://127.0.0.1:8069 (logins: admin/admin, as_rep/as_rep, as_tech/as_tech, as_manager/as_manager, as_analyst/as_analyst)"
exec "$AFTERSALES_VENV/bin/python" "$ODOO_SRC/odoo-bin" --addons-path="$ODOO_ADDONS_PATH" \
    -d "$DB" --db-filter="^${DB}\$" --http-interface=127.0.0.1 --http-port=8069
