#!/usr/bin/env bash
# How setup obtains Odoo when ODOO_SRC holds no tree (scripts/lib.sh ensure_odoo_src),
# checked against local repositories prepared here: this machine may reach no code host,
# so a refused network is one of the cases, not a reason to skip.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
failures=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# run_ensure OUTFILE VAR=VALUE... : ensure_odoo_src in a clean shell; prints its exit code.
run_ensure() {
    local out=$1; shift
    set +e
    env -u ODOO_GIT_COMMIT "$@" bash -c "source '$REPO_ROOT/scripts/lib.sh'; ensure_odoo_src" >"$out" 2>&1
    echo $?
    set -e
}

# An upstream repository shaped like Odoo's: branch 18.0 with two commits.
make_upstream() {
    local dir=$1 version=$2
    git init -q -b 18.0 "$dir"
    mkdir -p "$dir/odoo"
    printf '#!/usr/bin/env python3\n' > "$dir/odoo-bin"
    printf "version_info = (%s, 0, 0, FINAL, 0, '')\n" "$version" > "$dir/odoo/release.py"
    git -C "$dir" add -A
    git -C "$dir" -c user.name=t -c user.email=t@t commit -qm first
    echo "# second" >> "$dir/odoo-bin"
    git -C "$dir" -c user.name=t -c user.email=t@t commit -qam second
}
make_upstream "$WORK/upstream" 18
make_upstream "$WORK/upstream17" 17
first=$(git -C "$WORK/upstream" rev-parse HEAD~1)
head=$(git -C "$WORK/upstream" rev-parse HEAD)

# 1. Network refused: a clear message, non-zero, nothing left behind.
rc=$(run_ensure "$WORK/out1" ODOO_SRC="$WORK/t1/odoo" ODOO_GIT_URL=http://127.0.0.1:9/odoo.git)
if [ "$rc" -ne 0 ] && grep -q "Could not download Odoo 18.0 from http://127.0.0.1:9/odoo.git" "$WORK/out1" \
        && grep -q "ODOO_SRC=/path/to/that/tree" "$WORK/out1" && [ ! -e "$WORK/t1/odoo" ] \
        && [ -z "$(ls -A "$WORK/t1")" ]; then
    pass "refused network fails cleanly"
else
    fail "refused network (rc=$rc): $(cat "$WORK/out1")"
fi

# 2. Pinned commit: exactly that commit, shallow, recorded.
rc=$(run_ensure "$WORK/out2" ODOO_SRC="$WORK/t2/odoo" ODOO_GIT_URL="file://$WORK/upstream" ODOO_GIT_COMMIT="$first")
if [ "$rc" -eq 0 ] && [ "$(git -C "$WORK/t2/odoo" rev-parse HEAD)" = "$first" ] \
        && [ "$(git -C "$WORK/t2/odoo" rev-list --count HEAD)" = 1 ] \
        && [ "$(cat "$WORK/t2/odoo/.aftersales-odoo-commit")" = "$first" ] \
        && ! grep -q second "$WORK/t2/odoo/odoo-bin" && grep -q "downloading Odoo 18.0" "$WORK/out2"; then
    pass "pinned commit is fetched shallow"
else
    fail "pinned commit (rc=$rc): $(cat "$WORK/out2")"
fi

# 3. No pin: the branch head.
rc=$(run_ensure "$WORK/out3" ODOO_SRC="$WORK/t3/odoo" ODOO_GIT_URL="file://$WORK/upstream" ODOO_GIT_COMMIT=)
if [ "$rc" -eq 0 ] && [ "$(git -C "$WORK/t3/odoo" rev-parse HEAD)" = "$head" ]; then
    pass "branch head without a pin"
else
    fail "branch head (rc=$rc): $(cat "$WORK/out3")"
fi

# 4. A pin the repository does not have: refused, nothing left.
rc=$(run_ensure "$WORK/out4" ODOO_SRC="$WORK/t4/odoo" ODOO_GIT_URL="file://$WORK/upstream" \
    ODOO_GIT_COMMIT=0123456789abcdef0123456789abcdef01234567)
if [ "$rc" -ne 0 ] && grep -q "Could not download" "$WORK/out4" && [ -z "$(ls -A "$WORK/t4")" ]; then
    pass "unknown pinned commit fails cleanly"
else
    fail "unknown pin (rc=$rc): $(cat "$WORK/out4")"
fi

# 5. Another Odoo version is refused, nothing left.
rc=$(run_ensure "$WORK/out5" ODOO_SRC="$WORK/t5/odoo" ODOO_GIT_URL="file://$WORK/upstream17" ODOO_GIT_COMMIT=)
if [ "$rc" -ne 0 ] && grep -q "is not Odoo 18.0" "$WORK/out5" && [ -z "$(ls -A "$WORK/t5")" ]; then
    pass "another Odoo version is refused"
else
    fail "other version (rc=$rc): $(cat "$WORK/out5")"
fi

# 6. An existing tree at ODOO_SRC is used as it is, even with the network refused.
rc=$(run_ensure "$WORK/out6" ODOO_SRC="$WORK/t2/odoo" ODOO_GIT_URL=http://127.0.0.1:9/odoo.git)
if [ "$rc" -eq 0 ] && ! grep -q "downloading" "$WORK/out6"; then
    pass "existing ODOO_SRC tree is kept"
else
    fail "existing tree (rc=$rc): $(cat "$WORK/out6")"
fi

# 7. Something else at ODOO_SRC is not overwritten.
mkdir -p "$WORK/t7/odoo"
rc=$(run_ensure "$WORK/out7" ODOO_SRC="$WORK/t7/odoo" ODOO_GIT_URL="file://$WORK/upstream")
if [ "$rc" -ne 0 ] && grep -q "Odoo 18.0 source not found at ODOO_SRC=$WORK/t7/odoo" "$WORK/out7"; then
    pass "a non-Odoo directory at ODOO_SRC is refused, not replaced"
else
    fail "non-Odoo directory (rc=$rc): $(cat "$WORK/out7")"
fi

[ "$failures" -eq 0 ] || { echo "ERROR: $failures Odoo download check(s) failed." >&2; exit 1; }
echo "Odoo download checks: all passed."
