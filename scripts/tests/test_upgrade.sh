#!/usr/bin/env bash
# Upgrade from the previous release, the way an installed company gets it: install the
# previous release's module with demo data, add data, then upgrade with the current
# version installed as a wheel (pip, OCA-style packaging) into an environment where Odoo is
# installed with `pip install -e $ODOO_SRC` — the repository is not on the addons path.
# Environment: as scripts/test.sh; AFTERSALES_UPGRADE_DB (default aftersales_upgrade);
#   AFTERSALES_UPGRADE_TEMPLATE: start from this database (previous release installed)
#   instead of installing it (to rerun quickly by hand).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

DB="${AFTERSALES_UPGRADE_DB:-aftersales_upgrade}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

version=$("$AFTERSALES_VENV/bin/python" -c "import ast,sys; print(ast.literal_eval(open(sys.argv[1]).read())['version'])" \
    "$REPO_ROOT/aftersales_service/__manifest__.py")
# The release to upgrade from: scripts/tests/upgrade-from ("<version> <commit>"; the
# commit is also tagged <version>). Move it forward with each release.
read -r previous previous_commit < "$REPO_ROOT/scripts/tests/upgrade-from"
git -C "$REPO_ROOT" cat-file -e "$previous_commit^{commit}" 2>/dev/null \
    || die "Commit $previous_commit (release $previous) is not in $REPO_ROOT: the upgrade test needs the history (a full clone)."
[ "$previous" != "$version" ] \
    || die "The manifest version $version is the previous release's: bump it (or move scripts/tests/upgrade-from forward)."
step "Upgrade test: $previous -> $version (database $DB)"

# The previous release, as it was tagged.
mkdir -p "$WORK/previous"
git -C "$REPO_ROOT" archive "$previous_commit" aftersales_service | tar -x -C "$WORK/previous"
dropdb --if-exists "$DB"
if [ -n "${AFTERSALES_UPGRADE_TEMPLATE:-}" ]; then
    createdb -T "$AFTERSALES_UPGRADE_TEMPLATE" "$DB"  # a database with $previous installed
else
    "$AFTERSALES_VENV/bin/python" "$ODOO_SRC/odoo-bin" \
        --addons-path="$ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$WORK/previous" \
        -d "$DB" -i aftersales_service --stop-after-init --log-level=warn --http-port=8179 \
        || die "Installing $previous failed."
fi

# Data a company has by then: one ticket of its own besides the demo data.
shell() {  # shell ADDONS_PATH PYTHON CODE: run CODE in an Odoo shell on $DB
    "$2" "$ODOO_SRC/odoo-bin" shell --addons-path="$1" -d "$DB" --no-http --log-level=warn <<<"$3"
}
shell "$ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$WORK/previous" "$AFTERSALES_VENV/bin/python" '
ticket = env["aftersales.ticket"].create({
    "partner_id": env.ref("base.res_partner_2").id,
    "description": "Upgrade check: compressor noise",
})
seq = env["ir.sequence"].search([("code", "=", "aftersales.ticket"), ("company_id", "=", env.company.id)])
env["ir.config_parameter"].set_param("upgrade_check", repr({
    "ticket": ticket.id, "name": ticket.name,
    "tickets": env["aftersales.ticket"].with_context(active_test=False).search([]).ids,
    "warranties": env["aftersales.warranty"].with_context(active_test=False).search([]).ids,
    "contracts": env["aftersales.contract"].with_context(active_test=False).search([]).ids,
    "sequence": seq.id,
}))
env.cr.commit()
' > "$WORK/before.log" 2>&1 || die "Adding data under $previous failed: $(tail -20 "$WORK/before.log")"

# The current version as a wheel, installed where Odoo is pip-installed.
step "Building the wheel and installing it beside a pip-installed Odoo"
"$AFTERSALES_VENV/bin/pip" wheel -q --no-deps --no-build-isolation -w "$WORK/dist" "$REPO_ROOT/aftersales_service" \
    || die "Building the wheel failed."
wheel=$(ls "$WORK"/dist/odoo_addon_aftersales_service-*.whl 2>/dev/null | head -n1)
[ -n "$wheel" ] || die "No odoo_addon_aftersales_service wheel was built."
case "$(basename "$wheel")" in
    "odoo_addon_aftersales_service-$version"*) ;;
    *) die "The wheel $(basename "$wheel") does not carry the manifest version $version." ;;
esac
"$(find_python312)" -m venv "$WORK/venv"
# Odoo's requirements come from the project venv; Odoo itself and the add-on are installed.
site=$("$AFTERSALES_VENV/bin/python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
"$WORK/venv/bin/python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])" \
    | xargs -I{} sh -c "echo '$site' > {}/aftersales-odoo-requirements.pth"
"$WORK/venv/bin/pip" install -q --no-deps --no-build-isolation -e "$ODOO_SRC" \
    || die "pip install -e $ODOO_SRC failed."
"$WORK/venv/bin/pip" install -q --no-build-isolation "$wheel" \
    || die "pip install $(basename "$wheel") failed (does it find Odoo 18.0?)."
rm -rf "$ODOO_SRC/odoo.egg-info"
found=$("$WORK/venv/bin/python" - <<'PY'
import odoo
from odoo.modules.module import get_module_path, initialize_sys_path
odoo.tools.config.parse_config([])
initialize_sys_path()
print(get_module_path("aftersales_service"))
PY
)
case "$found" in
    "$WORK/venv/"*) step "Odoo finds the installed add-on at $found" ;;
    *) die "Odoo does not find the pip-installed add-on (found: $found)." ;;
esac

step "Upgrading $DB to $version"
"$WORK/venv/bin/python" "$ODOO_SRC/odoo-bin" --addons-path="$ODOO_SRC/addons,$ODOO_SRC/odoo/addons" \
    -d "$DB" -u aftersales_service --stop-after-init --log-level=warn --http-port=8179 \
    > "$WORK/upgrade.log" 2>&1 || die "Upgrade failed: $(tail -30 "$WORK/upgrade.log")"
if grep -E " (ERROR|CRITICAL) " "$WORK/upgrade.log"; then
    die "The upgrade logged errors (above)."
fi

shell "$ODOO_SRC/addons,$ODOO_SRC/odoo/addons" "$WORK/venv/bin/python" "
import ast
before = ast.literal_eval(env['ir.config_parameter'].get_param('upgrade_check'))
problems = []
def check(ok, what):
    print(('ok: ' if ok else 'FAIL: ') + what)
    ok or problems.append(what)
module = env['ir.module.module'].search([('name', '=', 'aftersales_service')])
check(module.latest_version == '$version', 'module version is $version (%s)' % module.latest_version)
Ticket = env['aftersales.ticket']
for model, key in (('aftersales.ticket', 'tickets'), ('aftersales.warranty', 'warranties'), ('aftersales.contract', 'contracts')):
    # Every record is still there; a demo database may gain the new release's demo records.
    kept = env[model].with_context(active_test=False).browse(before[key]).exists()
    check(len(kept) == len(before[key]), '%s kept (%d of %d)' % (key, len(kept), len(before[key])))
ticket = Ticket.browse(before['ticket'])
check(ticket.exists() and ticket.name == before['name'], 'the ticket added before keeps its reference %s' % before['name'])
check(not Ticket.search_count([('access_token', '=', False)]) and not env['aftersales.warranty'].search_count([('access_token', '=', False)]), 'every ticket and warranty has its portal token')
seq = env.ref('aftersales_service.seq_aftersales_ticket')
check(seq.id == before['sequence'], 'the existing ticket sequence is the declared one (no second sequence)')
check(env['ir.sequence'].search_count([('code', '=', 'aftersales.ticket'), ('company_id', '=', env.company.id)]) == 1, 'one ticket sequence for the company')
check(env.ref('aftersales_service.category_quality_problem').quality_problem, 'the shipped Quality Problem category is marked a quality problem')
check('deadline_response' in (env.ref('aftersales_service.mail_template_ticket_received').body_html or ''), 'the acknowledgement template was reloaded (it quotes the deadline)')
new = Ticket.create({'partner_id': env.ref('base.res_partner_2').id, 'description': 'After the upgrade'})
check(new.name > before['name'] and not Ticket.search_count([('name', '=', new.name), ('id', '!=', new.id)]), 'numbering continues: %s after %s' % (new.name, before['name']))
env.cr.rollback()
print('UPGRADE_PROBLEMS=%d' % len(problems))
" > "$WORK/after.log" 2>&1 || true
grep -E "^(ok|FAIL): " "$WORK/after.log" || true
grep -q "^UPGRADE_PROBLEMS=0$" "$WORK/after.log" \
    || die "Upgrade check failed: $(grep -vE '^(ok): ' "$WORK/after.log" | tail -20)"
dropdb --if-exists "$DB"
step "Upgrade from $previous to $version: all checks passed."
