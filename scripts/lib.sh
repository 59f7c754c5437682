# Shared helpers for setup.sh and test.sh. Source it; do not run it.
# Everything here is idempotent: a second run only checks and moves on.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_SRC="${ODOO_SRC:-/opt/odoo-src}"
AFTERSALES_VENV="${AFTERSALES_VENV:-$REPO_ROOT/.venv}"
AFTERSALES_LINT_VENV="${AFTERSALES_LINT_VENV:-$AFTERSALES_VENV-lint}"
ODOO_ADDONS_PATH="$ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$REPO_ROOT"

die() { echo "ERROR: $*" >&2; exit 1; }
step() { echo "==> $*"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Where setup gets Odoo when ODOO_SRC holds no tree: Odoo's official repository, branch
# 18.0, one shallow commit. ODOO_GIT_COMMIT pins it (a full commit hash; empty = the
# branch head at the time, recorded in $ODOO_SRC/.aftersales-odoo-commit).
ODOO_GIT_URL="${ODOO_GIT_URL:-https://github.com/odoo/odoo.git}"
ODOO_GIT_BRANCH="${ODOO_GIT_BRANCH:-18.0}"
ODOO_GIT_COMMIT="${ODOO_GIT_COMMIT-$(cat "$REPO_ROOT/scripts/odoo-commit" 2>/dev/null || true)}"

_is_odoo_18_tree() {
    [ -f "$1/odoo-bin" ] && [ -f "$1/odoo/release.py" ] \
        && grep -q "version_info = (18, 0" "$1/odoo/release.py"
}

check_odoo_src() {
    [ -f "$ODOO_SRC/odoo-bin" ] && [ -f "$ODOO_SRC/odoo/release.py" ] \
        || die "Odoo 18.0 source not found at ODOO_SRC=$ODOO_SRC. Run scripts/setup.sh (it downloads Odoo 18.0 from $ODOO_GIT_URL), or put an Odoo 18.0 Community checkout there (or export ODOO_SRC=/path/to/odoo) and run again."
    _is_odoo_18_tree "$ODOO_SRC" \
        || die "ODOO_SRC=$ODOO_SRC is not Odoo 18.0 (see $ODOO_SRC/odoo/release.py)."
}

# ensure_odoo_src: keep the tree at ODOO_SRC, or download Odoo 18.0 there (shallow, pinned).
# Nothing is left behind when the download fails: the tree is built beside ODOO_SRC and
# moved into place only once it is complete and really Odoo 18.0.
ensure_odoo_src() {
    if [ -e "$ODOO_SRC" ]; then
        check_odoo_src
        return
    fi
    command -v git >/dev/null || die "git is needed to download Odoo 18.0 into ODOO_SRC=$ODOO_SRC (apt-get install git), or put an Odoo 18.0 tree there yourself."
    local what="branch $ODOO_GIT_BRANCH"
    [ -n "$ODOO_GIT_COMMIT" ] && what="commit $ODOO_GIT_COMMIT of branch $ODOO_GIT_BRANCH"
    step "No Odoo source at ODOO_SRC=$ODOO_SRC: downloading Odoo 18.0 Community ($what) from $ODOO_GIT_URL, shallow (about 300 MB)"
    local parent tmp
    parent=$(dirname "$ODOO_SRC")
    mkdir -p "$parent" || die "Cannot create $parent for ODOO_SRC=$ODOO_SRC."
    tmp=$(mktemp -d "$parent/.odoo-src-download.XXXXXX")
    # Whatever stops the download (die included) removes the partial tree.
    # shellcheck disable=SC2064
    trap "rm -rf '$tmp'" EXIT
    git init -q "$tmp" && git -C "$tmp" remote add origin "$ODOO_GIT_URL"
    local ref="${ODOO_GIT_COMMIT:-refs/heads/$ODOO_GIT_BRANCH}"
    if ! GIT_TERMINAL_PROMPT=0 git -C "$tmp" -c protocol.file.allow=always \
            fetch -q --depth 1 --no-tags origin "$ref"; then
        die "Could not download Odoo 18.0 from $ODOO_GIT_URL ($what): the network refused or the repository does not have it.
       Nothing was changed. Either let this machine reach that repository, or get Odoo 18.0
       Community another way (git clone, archive, package) and run again with
       ODOO_SRC=/path/to/that/tree."
    fi
    git -C "$tmp" -c advice.detachedHead=false checkout -q FETCH_HEAD
    local commit
    commit=$(git -C "$tmp" rev-parse HEAD)
    if [ -n "$ODOO_GIT_COMMIT" ] && [ "${commit#"$ODOO_GIT_COMMIT"}" = "$commit" ]; then
        die "$ODOO_GIT_URL gave commit $commit, not the pinned $ODOO_GIT_COMMIT."
    fi
    if ! _is_odoo_18_tree "$tmp"; then
        die "What $ODOO_GIT_URL ($what) gave is not Odoo 18.0 (no odoo-bin or odoo/release.py says another version)."
    fi
    echo "$commit" > "$tmp/.aftersales-odoo-commit"
    mv "$tmp" "$ODOO_SRC"
    trap - EXIT
    step "Odoo 18.0 commit $commit is at $ODOO_SRC"
}

ensure_debian_packages() {
    local pkgs=(git libpq-dev libldap2-dev libsasl2-dev libjpeg-dev zlib1g-dev wkhtmltopdf
                postgresql postgresql-client chromium poppler-utils fonts-noto-cjk)
    local missing=()
    for p in "${pkgs[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        command -v apt-get >/dev/null || die "Missing system packages (${missing[*]}) and no apt-get to install them."
        step "Installing Debian packages: ${missing[*]}"
        as_root apt-get update -qq
        DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

find_python312() {
    if [ -n "${PYTHON:-}" ]; then echo "$PYTHON"; return; fi
    local candidate
    for candidate in python3.12 "$HOME"/.pyenv/versions/3.12*/bin/python /root/.pyenv/versions/3.12*/bin/python; do
        if command -v "$candidate" >/dev/null 2>&1 \
                && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null; then
            command -v "$candidate"; return
        fi
    done
    die "Python 3.12 not found (Odoo 18's pinned requirements need it). Install it or export PYTHON=/path/to/python3.12."
}

# _venv_install VENV REQUIREMENTS... : create VENV with Python 3.12 and install
# the requirement files, unless they are unchanged since the last run.
_venv_install() {
    local venv=$1; shift
    local stamp="$venv/.aftersales-requirements.sha"
    local want
    want=$(cat "$@" | sha256sum | cut -d' ' -f1)
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return
    fi
    if [ ! -x "$venv/bin/python" ]; then
        local py
        py=$(find_python312)
        step "Creating Python venv at $venv with $py"
        "$py" -m venv "$venv"
    fi
    step "Installing Python packages into $venv"
    local constraint
    constraint=$(mktemp)
    echo "setuptools<70" > "$constraint"
    PIP_CONSTRAINT="$constraint" "$venv/bin/pip" install -q --upgrade pip wheel "setuptools<70"
    local requirements
    for requirements in "$@"; do
        PIP_CONSTRAINT="$constraint" "$venv/bin/pip" install -q -r "$requirements"
    done
    rm -f "$constraint"
    echo "$want" > "$stamp"
}

ensure_venv() {
    _venv_install "$AFTERSALES_VENV" "$ODOO_SRC/requirements.txt" "$REPO_ROOT/requirements-test.txt"
}

ensure_lint_venv() {
    _venv_install "$AFTERSALES_LINT_VENV" "$REPO_ROOT/requirements-lint.txt"
}

ensure_postgres() {
    command -v pg_lsclusters >/dev/null || die "PostgreSQL is not installed (no pg_lsclusters). Install Debian's postgresql package."
    local cluster
    cluster=$(pg_lsclusters -h | head -n1)
    [ -n "$cluster" ] || die "PostgreSQL is installed but has no cluster (pg_lsclusters is empty)."
    local version name status
    read -r version name _ status _ <<<"$cluster"
    if [ "$status" != "online" ]; then
        step "Starting PostgreSQL $version/$name"
        as_root pg_ctlcluster "$version" "$name" start || die "Could not start PostgreSQL $version/$name."
    fi
    local me
    me=$(id -un)
    if ! as_root su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='$me'\"" | grep -q 1; then
        step "Creating PostgreSQL role $me"
        as_root su postgres -c "createuser -s $me"
    fi
    psql -d postgres -tAc "SELECT 1" >/dev/null 2>&1 || die "Cannot connect to PostgreSQL as $me over the unix socket."
}

odoo_bin() {
    "$AFTERSALES_VENV/bin/python" "$ODOO_SRC/odoo-bin" --addons-path="$ODOO_ADDONS_PATH" "$@"
}
