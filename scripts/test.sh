#!/usr/bin/env bash
# Command 2: run every check — linters, setup's Odoo download, Odoo's test runner on a
# fresh database, pytest-odoo over the same tests, the upgrade from the previous
# release. Exits non-zero on any failure.
# Environment: ODOO_SRC (default /opt/odoo-src), AFTERSALES_VENV (default ./.venv),
#   AFTERSALES_TEST_DB (default aftersales_test).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DB="${AFTERSALES_TEST_DB:-aftersales_test}"
LOG_DIR="$(mktemp -d)"

check_odoo_src
ensure_debian_packages
ensure_venv
ensure_lint_venv
ensure_postgres

step "Linters (pre-commit: ruff, pylint-odoo)"
(cd "$REPO_ROOT" && PATH="$AFTERSALES_LINT_VENV/bin:$PATH" pre-commit run --all-files --show-diff-on-failure) \
    || die "Linters failed (see above)."

step "aftersales_service/README.rst is valid reStructuredText (Apps and PyPI show it)"
"$AFTERSALES_VENV/bin/python" -c "
import docutils.core, sys
docutils.core.publish_doctree(open(sys.argv[1]).read(), settings_overrides={'halt_level': 2})
" "$REPO_ROOT/aftersales_service/README.rst" || die "aftersales_service/README.rst is not valid reStructuredText."

step "Setup's Odoo download (scripts/tests/test_odoo_download.sh)"
bash "$REPO_ROOT/scripts/tests/test_odoo_download.sh" || die "The Odoo download checks failed (see above)."

step "Odoo test runner: fresh database $DB, install aftersales_service with demo data, run its tests"
dropdb --if-exists "$DB"
set +e
odoo_bin -d "$DB" -i aftersales_service --test-enable --test-tags /aftersales_service \
    --stop-after-init --http-port=8169 --log-level=test 2>&1 | tee "$LOG_DIR/odoo-tests.log"
odoo_rc=${PIPESTATUS[0]}
set -e
if [ "$odoo_rc" -ne 0 ] || grep -qE "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) " "$LOG_DIR/odoo-tests.log"; then
    die "Odoo test run failed (exit $odoo_rc); errors:
$(grep -E "^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) " "$LOG_DIR/odoo-tests.log" | head -20)"
fi
grep -E "odoo.tests.result: [0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests" "$LOG_DIR/odoo-tests.log" | tail -1 \
    || die "Odoo ran no test (no result line in the log)."
# A skipped browser test proves nothing: fail on skips of our tests, or on the missing
# websocket-client that makes Odoo skip every tour silently.
if grep -iE "aftersales_service.* skipped|websocket-client module is not installed" \
        "$LOG_DIR/odoo-tests.log"; then
    die "Some aftersales_service tests were skipped (see above)."
fi

step "pytest-odoo over aftersales_service/tests on database $DB"
cd "$REPO_ROOT"
PYTHONPATH="$ODOO_SRC${PYTHONPATH:+:$PYTHONPATH}" "$AFTERSALES_VENV/bin/python" -m pytest \
    -p no:cacheprovider --odoo-database="$DB" --odoo-addons-path="$ODOO_ADDONS_PATH" \
    --odoo-http \
    aftersales_service/tests

step "Upgrade from the previous release, installed as a wheel (scripts/tests/test_upgrade.sh)"
bash "$REPO_ROOT/scripts/tests/test_upgrade.sh"
