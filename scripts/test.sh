#!/usr/bin/env bash
# Command 2: run every check — linters, setup's Odoo download, then at once Odoo's test
# runner on a fresh database, pytest-odoo over the same tests on another fresh database
# and the upgrade from the previous release. Exits non-zero on any failure.
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

# The three test jobs run side by side (each is mostly one busy process): Odoo's runner on
# a fresh database, pytest-odoo on another fresh database, the upgrade test on its own.
run_odoo_runner() {
    dropdb --if-exists "$DB"
    odoo_bin -d "$DB" -i aftersales_service --test-enable --test-tags /aftersales_service \
        --stop-after-init --http-port=8169 --log-level=test
}

run_pytest_odoo() {
    dropdb --if-exists "$PYTEST_DB"
    odoo_bin -d "$PYTEST_DB" -i aftersales_service --stop-after-init --http-port=8199 \
        --log-level=warn || return 1
    cd "$REPO_ROOT"
    PYTHONPATH="$ODOO_SRC${PYTHONPATH:+:$PYTHONPATH}" "$AFTERSALES_VENV/bin/python" -m pytest \
        -p no:cacheprovider --odoo-database="$PYTEST_DB" --odoo-addons-path="$ODOO_ADDONS_PATH" \
        --odoo-http \
        aftersales_service/tests
}

PYTEST_DB="${DB}_pytest"
step "Tests, three jobs at once (logs below as each ends):
    Odoo test runner: fresh database $DB, install aftersales_service with demo data, run its tests
    pytest-odoo over aftersales_service/tests on fresh database $PYTEST_DB
    upgrade from the previous release, installed as a wheel (scripts/tests/test_upgrade.sh)"
run_odoo_runner > "$LOG_DIR/odoo-tests.log" 2>&1 &
runner_pid=$!
run_pytest_odoo > "$LOG_DIR/pytest.log" 2>&1 &
pytest_pid=$!
bash "$REPO_ROOT/scripts/tests/test_upgrade.sh" > "$LOG_DIR/upgrade.log" 2>&1 &
upgrade_pid=$!
# Nothing is left running when this script stops early.
trap 'kill "$runner_pid" "$pytest_pid" "$upgrade_pid" 2>/dev/null || true' EXIT

# A line a minute, so that a long run is seen to progress.
while kill -0 "$runner_pid" 2>/dev/null || kill -0 "$pytest_pid" 2>/dev/null \
        || kill -0 "$upgrade_pid" 2>/dev/null; do
    sleep 60
    echo "... $(date +%H:%M:%S) Odoo runner: $(grep -c " Starting " "$LOG_DIR/odoo-tests.log") tests started;" \
        "pytest-odoo: $(grep -oE "^aftersales_service/tests/[a-z_]+\.py" "$LOG_DIR/pytest.log" | tail -1)"
done

set +e
wait "$upgrade_pid"
upgrade_rc=$?
step "Upgrade test finished (exit $upgrade_rc)"
cat "$LOG_DIR/upgrade.log"
wait "$pytest_pid"
pytest_rc=$?
step "pytest-odoo finished (exit $pytest_rc)"
tail -n 40 "$LOG_DIR/pytest.log"
wait "$runner_pid"
odoo_rc=$?
set -e
step "Odoo test runner finished (exit $odoo_rc); full log: $LOG_DIR/odoo-tests.log"
grep -E "odoo.tests.(result|stats)|FAIL|ERROR" "$LOG_DIR/odoo-tests.log" | tail -n 60

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
[ "$pytest_rc" -eq 0 ] || die "pytest-odoo failed (exit $pytest_rc; see its log above)."
grep -qE "[0-9]+ passed" "$LOG_DIR/pytest.log" || die "pytest-odoo ran no test."
[ "$upgrade_rc" -eq 0 ] || die "The upgrade test failed (exit $upgrade_rc; see its log above)."
