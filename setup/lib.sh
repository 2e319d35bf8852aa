# shellcheck shell=bash
# Shared bootstrap of setup/demo, setup/test and setup/bench: find Odoo 19.0, build or reuse the cached
# virtualenv, and reach a PostgreSQL server (the one named by PG* variables, or a private cluster).
# Sourced, never run. Quiet unless something fails; every failure says what to do.
set -euo pipefail

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# runuser (to run PostgreSQL as the postgres user when we are root) lives in sbin, not always on PATH.
case ":$PATH:" in *:/usr/sbin:*) ;; *) PATH="$PATH:/usr/sbin:/sbin" ;; esac
CACHE_DIR=${CRM_CARE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/crm-care}
ADDONS="crm_lifecycle,crm_loyalty,crm_complaints,crm_lifecycle_pos"
STATE_DIR="$REPO_DIR/.odoo"      # git-ignored: odoo.conf, the filestores (data/), install logs (logs/)
ODOO_CONF="$STATE_DIR/odoo.conf"
TEMPLATE_GC_LOCK="$STATE_DIR/data/crm_care_templates_gc.lock"  # see gc_templates

die() {
    printf 'crm-care: %s\n' "$*" >&2
    exit 1
}

say() {
    printf 'crm-care: %s\n' "$*"
}

# Run a command quietly; print its output only when it fails.
quiet() {
    local log
    log=$(mktemp)
    if ! "$@" >"$log" 2>&1; then
        tail -n 60 "$log" >&2
        rm -f "$log"
        die "failed: $*"
    fi
    rm -f "$log"
}

# Run a command holding an exclusive lock on file $1 (two setup/ commands at once must not build the same
# virtualenv or database template twice).
with_lock() {
    local lock=$1
    shift
    mkdir -p "$(dirname "$lock")"
    if command -v flock >/dev/null 2>&1; then
        (
            flock 9
            "$@"
        ) 9>"$lock"
    else
        "$@"
    fi
}

odoo_major() {  # prints the major version of the Odoo tree in $1, or nothing
    sed -n 's/^version_info = (\([0-9]*\),.*/\1/p' "$1/odoo/release.py" 2>/dev/null
}

# Sets ODOO_SRC to an Odoo 19.0 source tree: $ODOO_SRC, then odoo-bin on PATH, then an importable odoo.
find_odoo() {
    local candidate="" how=""
    if [[ -n ${ODOO_SRC:-} ]]; then
        candidate=$ODOO_SRC how="ODOO_SRC=$ODOO_SRC"
    elif command -v odoo-bin >/dev/null 2>&1; then
        candidate=$(dirname "$(readlink -f "$(command -v odoo-bin)")") how="odoo-bin on PATH"
    elif command -v python3 >/dev/null 2>&1 \
        && candidate=$(python3 -c 'import os, odoo; print(os.path.dirname(os.path.dirname(odoo.__file__)))' 2>/dev/null); then
        how="the importable odoo package"
    fi
    if [[ -z $candidate ]]; then
        die "Odoo 19.0 not found. Clone Odoo's branch 19.0 and either export ODOO_SRC=/path/to/odoo,
put its odoo-bin on PATH (e.g. ln -s /path/to/odoo/odoo-bin /usr/local/bin/odoo-bin),
or make the 'odoo' package importable by python3."
    fi
    if [[ $(odoo_major "$candidate") != 19 ]]; then
        die "Odoo found through $how at $candidate is not Odoo 19.0 (no odoo/release.py with version 19).
Point ODOO_SRC at an Odoo 19.0 source tree."
    fi
    ODOO_SRC=$(cd "$candidate" && pwd)
    export ODOO_SRC
}

# Creates or reuses the virtualenv; its name is a hash of Python's version and both requirement files.
ensure_venv() {
    local key
    key=$( { python3 --version; cat "$ODOO_SRC/requirements.txt" "$REPO_DIR/setup/requirements.txt"; } \
        | sha256sum | cut -c1-16)
    VENV="$CACHE_DIR/venv-$key"
    [[ -f $VENV/.complete ]] || with_lock "$CACHE_DIR/venv-$key.lock" _build_venv
    PY="$VENV/bin/python"
    export PYTHONPATH="$ODOO_SRC${PYTHONPATH:+:$PYTHONPATH}"
    export PATH="$VENV/bin:$PATH"
}

_build_venv() {
    [[ -f $VENV/.complete ]] && return  # built by another command while we waited for the lock
    say "building the Python environment in $VENV (first run only, a few minutes)"
    rm -rf "$VENV"
    mkdir -p "$CACHE_DIR"
    quiet python3 -m venv "$VENV"
    local constraints="$CACHE_DIR/constraints.txt"
    # cbor2 5.4.2 (pinned by Odoo) does not build with setuptools >= 81.
    printf 'setuptools<81\n' >"$constraints"
    PIP_CONSTRAINT=$constraints quiet "$VENV/bin/pip" install -q --upgrade "pip<26" wheel "setuptools<81"
    PIP_CONSTRAINT=$constraints quiet "$VENV/bin/pip" install -q -r "$ODOO_SRC/requirements.txt" \
        -r "$REPO_DIR/setup/requirements.txt"
    touch "$VENV/.complete"
}

# The lint tools that conflict with Odoo's pins live in a small virtualenv of their own; exports
# CRM_CARE_LINT_BIN, its bin/ folder, for tests/test_lint.py.
ensure_lint_venv() {
    local key
    key=$( { python3 --version; cat "$REPO_DIR/setup/requirements-lint.txt"; } | sha256sum | cut -c1-16)
    LINT_VENV="$CACHE_DIR/lint-$key"
    [[ -f $LINT_VENV/.complete ]] || with_lock "$CACHE_DIR/lint-$key.lock" _build_lint_venv
    export CRM_CARE_LINT_BIN="$LINT_VENV/bin"
}

_build_lint_venv() {
    [[ -f $LINT_VENV/.complete ]] && return
    rm -rf "$LINT_VENV"
    mkdir -p "$CACHE_DIR"
    quiet python3 -m venv "$LINT_VENV"
    quiet "$LINT_VENV/bin/pip" install -q -r "$REPO_DIR/setup/requirements-lint.txt"
    touch "$LINT_VENV/.complete"
}

run_as_pg() {  # the server refuses to run as root: use the postgres system user then
    if [[ $(id -u) == 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

pg_bin() {
    local name=$1 dir
    if command -v "$name" >/dev/null 2>&1; then
        command -v "$name"
        return
    fi
    for dir in /usr/lib/postgresql/*/bin; do
        [[ -x $dir/$name ]] && { echo "$dir/$name"; return; }
    done
    die "PostgreSQL's $name was not found. Install the PostgreSQL server (Debian: apt-get install postgresql),
or set PGHOST/PGPORT/PGUSER/PGPASSWORD to use a running server."
}

# Sets PG_DATA, the folder of the private cluster: .pgdata in the repository, unless the postgres system
# user (who runs the server when we are root) cannot reach it, or the path of its socket would be too long
# for a Unix socket; then a folder named after the repository in postgres' home (or in /tmp).
pg_data_dir() {
    PG_DATA="$REPO_DIR/.pgdata"
    local socket="$PG_DATA/run/.s.PGSQL.${CRM_CARE_PGPORT:-55432}" name
    name="crm-care-$(printf '%s' "$REPO_DIR" | sha256sum | cut -c1-12)"
    if [[ $(id -u) == 0 ]]; then
        if ! runuser -u postgres -- test -x "$REPO_DIR" 2>/dev/null || ((${#socket} > 100)); then
            PG_DATA="$(getent passwd postgres | cut -d: -f6)/$name"
            if [[ $PG_DATA == /$name ]]; then
                die "there is no postgres system user to run the private PostgreSQL server.
Install the PostgreSQL server (Debian: apt-get install postgresql), or set PGHOST/PGPORT/PGUSER to use a running server."
            fi
        fi
    elif ((${#socket} > 100)); then
        PG_DATA="/tmp/$name"
    fi
}

# Sets DB_ARGS (odoo-bin options) for the server named by PG* variables or for the private cluster.
ensure_postgres() {
    if [[ -n ${PGHOST:-}${PGPORT:-}${PGUSER:-} ]]; then
        export PGHOST=${PGHOST:-localhost} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-odoo}
        DB_ARGS=(--db_host "$PGHOST" --db_port "$PGPORT" --db_user "$PGUSER")
        [[ -n ${PGPASSWORD:-} ]] && DB_ARGS+=(--db_password "$PGPASSWORD")
        return 0
    fi
    pg_data_dir
    local data=$PG_DATA
    PG_PORT=${CRM_CARE_PGPORT:-55432}
    PG_SOCKET="$data/run"
    if [[ ! -f $data/cluster/PG_VERSION ]]; then
        mkdir -p "$data/cluster" "$PG_SOCKET"
        [[ $(id -u) == 0 ]] && chown -R postgres: "$data"
        quiet run_as_pg "$(pg_bin initdb)" -D "$data/cluster" -U odoo --auth=trust -E UTF8 --locale=C.UTF-8
    fi
    if ! run_as_pg "$(pg_bin pg_ctl)" -D "$data/cluster" status >/dev/null 2>&1; then
        quiet run_as_pg "$(pg_bin pg_ctl)" -D "$data/cluster" -l "$data/server.log" -w -t 60 \
            -o "-p $PG_PORT -k $PG_SOCKET -c listen_addresses='' -c fsync=off -c full_page_writes=off ${CRM_CARE_PG_OPTIONS:-}" start
    fi
    export PGHOST=$PG_SOCKET PGPORT=$PG_PORT PGUSER=odoo
    DB_ARGS=(--db_host "$PG_SOCKET" --db_port "$PG_PORT" --db_user odoo)
}

stop_postgres() {
    pg_data_dir
    local data=$PG_DATA
    if [[ -f $data/cluster/PG_VERSION ]] && run_as_pg "$(pg_bin pg_ctl)" -D "$data/cluster" status >/dev/null 2>&1; then
        quiet run_as_pg "$(pg_bin pg_ctl)" -D "$data/cluster" -m fast -w stop
        say "private PostgreSQL stopped"
    else
        say "private PostgreSQL is not running"
    fi
}

# Writes $ODOO_CONF: our addons path, the database connection and a private data_dir (filestores).
write_odoo_conf() {
    mkdir -p "$STATE_DIR/data" "$STATE_DIR/logs"
    local tmp
    tmp=$(mktemp "$STATE_DIR/odoo.conf.XXXXXX")
    {
        printf '[options]\n'
        printf 'addons_path = %s\n' "$ODOO_SRC/addons,$REPO_DIR"
        printf 'data_dir = %s\n' "$STATE_DIR/data"
        printf 'db_host = %s\ndb_port = %s\ndb_user = %s\n' "$PGHOST" "$PGPORT" "$PGUSER"
        if [[ -n ${PGPASSWORD:-} ]]; then
            printf 'db_password = %s\n' "$PGPASSWORD"
        fi
        # The tests' HTTP server (tours, portal requests): another port lets two test runs share a machine.
        if [[ -n ${CRM_CARE_TEST_HTTP_PORT:-} ]]; then
            printf 'http_port = %s\n' "$CRM_CARE_TEST_HTTP_PORT"
        fi
    } >"$tmp"
    chmod 600 "$tmp"
    mv -f "$tmp" "$ODOO_CONF"
    export CRM_CARE_ODOO_CONF=$ODOO_CONF
}

# odoo-bin (server mode) with our addons, the database connection and the private data_dir.
odoo() {
    "$PY" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" "$@"
}

db_exists() {
    [[ $(psql -d postgres -XAtc "SELECT 1 FROM pg_database WHERE datname = '$1'") == 1 ]]
}

# Drops a database and its filestore; --force closes what is still connected to it.
drop_db() {
    quiet dropdb --if-exists --force "$1"
    rm -rf "$STATE_DIR/data/filestore/$1"
}

# Creates database $1 as a copy of database $2, filestore included.
copy_db() {
    drop_db "$1"
    quiet createdb -T "$2" "$1"
    if [[ -d $STATE_DIR/data/filestore/$2 ]]; then
        cp -a "$STATE_DIR/data/filestore/$2" "$STATE_DIR/data/filestore/$1"
    fi
}

# Prints the Odoo modules our addons depend on (not ours), sorted and comma-separated.
odoo_deps() {
    "$PY" - "$REPO_DIR" "$ADDONS" <<'PYTHON'
import ast
import pathlib
import sys

repo, ours = pathlib.Path(sys.argv[1]), sys.argv[2].split(",")
deps = set()
for addon in ours:
    deps.update(ast.literal_eval((repo / addon / "__manifest__.py").read_text()).get("depends", []))
print(",".join(sorted(deps - set(ours))))
PYTHON
}

# Identifies the Odoo source: its git commit (and local changes), or its release file and requirements.
odoo_fingerprint() {
    if git -C "$ODOO_SRC" rev-parse HEAD 2>/dev/null; then
        git -C "$ODOO_SRC" status --porcelain --untracked-files=no 2>/dev/null | sha256sum
    else
        cat "$ODOO_SRC/odoo/release.py"
    fi
    cat "$ODOO_SRC/requirements.txt"
}

# Runs odoo-bin with its log in file $1, and fails (showing the log) when odoo-bin fails or logs an ERROR.
# Warnings about our addons are left to the tests (tests/test_install.py), so that they do not stop the run.
odoo_logged() {
    local log=$1
    shift
    mkdir -p "$(dirname "$log")"
    : >"$log"
    # shellcheck disable=SC2094  # odoo-bin logs to the file, its few direct prints are appended to it
    if ! odoo "$@" --logfile "$log" >>"$log" 2>&1; then
        show_log_problems "$log"
        die "odoo-bin $* failed; full log: $log"
    fi
    if grep -Eq "$LOG_ERROR" "$log"; then
        show_log_problems "$log"
        die "odoo-bin $* logged errors; full log: $log"
    fi
}
LOG_ERROR=' [0-9]+ (ERROR|CRITICAL) '
LOG_PROBLEM="$LOG_ERROR"'| [0-9]+ WARNING .*crm[._](lifecycle|loyalty|complaint|care|segment)'

show_log_problems() {
    {
        printf -- '--- %s (problems, then its last lines) ---\n' "$1"
        grep -E -A15 "$LOG_PROBLEM" "$1" | head -n 80 || true
        printf -- '--- ... ---\n'
        tail -n 30 "$1"
    } >&2
}

# Sets TEMPLATE to a database holding only the Odoo modules our addons depend on, building it when it is
# missing (minutes) and caching it under a name keyed by the Odoo source, the dependency list and this
# clone's data folder (a template's filestore lives there: two clones on one server keep their own).
# $1 = demo to load demo data, anything else for none.
ensure_template() {
    local kind=$1 deps key
    deps=$(odoo_deps)
    # The data folder's real path: a work tree whose .odoo/data links to another clone's shares its templates.
    key=$( { odoo_fingerprint; printf '%s\n' "$deps" "$(dirname "$(readlink -f "$STATE_DIR/data")")"; } \
        | sha256sum | cut -c1-12)
    if [[ $kind == demo ]]; then
        TEMPLATE="crm_care_tpld_$key"
    else
        TEMPLATE="crm_care_tpl_$key"
    fi
    # Its last use (the marker's time) first, under the lock of the garbage collection, which keeps what was used
    # lately: another work tree's collection cannot drop it between this check and its use.
    with_lock "$TEMPLATE_GC_LOCK" _mark_template_used "$TEMPLATE"
    if ! template_ready "$TEMPLATE"; then
        with_lock "$STATE_DIR/data/$TEMPLATE.lock" _build_template "$TEMPLATE" "$kind" "$deps"
    fi
}

_mark_template_used() {
    local marker="$STATE_DIR/data/filestore/$1/.crm-care-template"
    if [[ -f $marker ]]; then touch "$marker"; fi
}

template_ready() {
    db_exists "$1" && [[ -f $STATE_DIR/data/filestore/$1/.crm-care-template ]]
}

_build_template() {
    local name=$1 kind=$2 deps=$3 building="$1_building" demo_args=()
    template_ready "$name" && return
    [[ $kind == demo ]] && demo_args=(--with-demo)
    say "building the database template $name: Odoo's ${deps//,/, }${demo_args:+ with demo data}" \
        "(first run only, a few minutes)"
    drop_db "$name"
    drop_db "$building"
    odoo_logged "$STATE_DIR/logs/$name.log" -d "$building" -i "$deps" "${demo_args[@]}" --stop-after-init \
        --log-level=info
    quiet psql -d postgres -Xqc "ALTER DATABASE \"$building\" RENAME TO \"$name\""
    mkdir -p "$STATE_DIR/data/filestore/$building"
    mv "$STATE_DIR/data/filestore/$building" "$STATE_DIR/data/filestore/$name"
    touch "$STATE_DIR/data/filestore/$name/.crm-care-template"
    # Templates of other Odoo sources or dependency lists may be another work tree's (sharing this data folder):
    # kept; only the long-unused ones, or the least recently used beyond a count, are dropped.
    with_lock "$TEMPLATE_GC_LOCK" gc_templates "$name"
    return 0
}

# Garbage collection of our cached templates (crm_care_tpl_* and crm_care_tpld_*: one prefix at a time, that of
# $1, which is never dropped): a template whose last use (the time of its filestore's .crm-care-template marker,
# touched by ensure_template) is older than CRM_CARE_TEMPLATE_MAX_AGE_DAYS days (30) is dropped, and beyond the
# CRM_CARE_TEMPLATE_KEEP (4, at least 2) most recently used of the prefix, the older ones too. A template still
# in use (a copy running, a connection) is skipped: dropdb without --force refuses it. Call it holding
# $TEMPLATE_GC_LOCK (with_lock), so that two setups do not collect at once nor drop a template just marked used.
gc_templates() {
    local current=$1 prefix=${1%_*}_ max_age=${CRM_CARE_TEMPLATE_MAX_AGE_DAYS:-30} keep=${CRM_CARE_TEMPLATE_KEEP:-4}
    local dir name rank=1 now used
    if ((keep < 2)); then keep=2; fi
    now=$(date +%s)
    # most recently used first; the current template counts as the most recent
    while IFS= read -r dir; do
        name=$(basename "$dir")
        [[ $name == "$current" || $name == *_building ]] && continue
        used=$(stat -c %Y "$dir/.crm-care-template" 2>/dev/null) || continue  # dropped meanwhile by hand
        rank=$((rank + 1))
        if ((rank > keep || now - used > max_age * 86400)) \
            && dropdb --if-exists "$name" >/dev/null 2>&1; then
            rm -rf "$dir"
        fi
    done < <(
        for dir in "$STATE_DIR/data/filestore/$prefix"*; do
            [[ -f $dir/.crm-care-template ]] && printf '%s %s\n' "$(stat -c %Y "$dir/.crm-care-template")" "$dir"
        done | sort -rn | cut -d' ' -f2-
    )
    return 0
}

# Creates database $1 afresh from template $2 and installs our addons into it; $3 = demo to load their
# demo data (the template must have demo data too); further arguments go to odoo-bin (e.g.
# --load-language=zh_CN: Odoo loads the language for the modules already there before it installs ours, so
# ours get their translations as they install). Sets INSTALL_LOG to the log of the installation.
fresh_db_with_addons() {
    local db=$1 template=$2 kind=${3:-} demo_args=()
    shift $(($# < 3 ? $# : 3))
    [[ $kind == demo ]] && demo_args=(--with-demo)
    copy_db "$db" "$template"
    INSTALL_LOG="$STATE_DIR/logs/$db-install.log"
    odoo_logged "$INSTALL_LOG" -d "$db" -i "$ADDONS" "${demo_args[@]}" "$@" --stop-after-init --log-level=info
}

bootstrap() {
    find_odoo
    ensure_venv
    ensure_postgres
    write_odoo_conf
}
