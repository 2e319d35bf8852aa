# shellcheck shell=bash
# Shared bootstrap of setup/demo, setup/test and setup/bench: find Odoo 19.0, build or reuse the cached
# virtualenv, and reach a PostgreSQL server (the one named by PG* variables, or a private cluster).
# Sourced, never run. Quiet unless something fails; every failure says what to do.
set -euo pipefail

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE_DIR=${CRM_CARE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/crm-care}
ADDONS="crm_lifecycle,crm_loyalty,crm_complaints"

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
    if [[ ! -f $VENV/.complete ]]; then
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
    fi
    PY="$VENV/bin/python"
    export PYTHONPATH="$ODOO_SRC${PYTHONPATH:+:$PYTHONPATH}"
    export PATH="$VENV/bin:$PATH"
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

# Sets DB_ARGS (odoo-bin options) for the server named by PG* variables or for the private cluster.
ensure_postgres() {
    if [[ -n ${PGHOST:-}${PGPORT:-}${PGUSER:-} ]]; then
        DB_ARGS=(--db_host "${PGHOST:-localhost}" --db_port "${PGPORT:-5432}" --db_user "${PGUSER:-odoo}")
        [[ -n ${PGPASSWORD:-} ]] && DB_ARGS+=(--db_password "$PGPASSWORD")
        return
    fi
    local data="$REPO_DIR/.pgdata"
    PG_PORT=${CRM_CARE_PGPORT:-55432}
    PG_SOCKET="$data/run"
    if [[ $(id -u) == 0 ]] && ! runuser -u postgres -- test -x "$REPO_DIR"; then
        die "the postgres system user cannot reach $REPO_DIR (where the private cluster lives).
Make the folder's parents traversable (chmod o+x), or set PGHOST/PGPORT/PGUSER to use a running server."
    fi
    if [[ ! -f $data/cluster/PG_VERSION ]]; then
        mkdir -p "$data/cluster" "$PG_SOCKET"
        [[ $(id -u) == 0 ]] && chown -R postgres: "$data"
        quiet run_as_pg "$(pg_bin initdb)" -D "$data/cluster" -U odoo --auth=trust -E UTF8 --locale=C.UTF-8
    fi
    if ! run_as_pg "$(pg_bin pg_ctl)" -D "$data/cluster" status >/dev/null 2>&1; then
        quiet run_as_pg "$(pg_bin pg_ctl)" -D "$data/cluster" -l "$data/server.log" -w -t 60 \
            -o "-p $PG_PORT -k $PG_SOCKET -c listen_addresses='' -c fsync=off -c full_page_writes=off" start
    fi
    export PGHOST=$PG_SOCKET PGPORT=$PG_PORT PGUSER=odoo
    DB_ARGS=(--db_host "$PG_SOCKET" --db_port "$PG_PORT" --db_user odoo)
}

stop_postgres() {
    local data="$REPO_DIR/.pgdata"
    if [[ -f $data/cluster/PG_VERSION ]] && run_as_pg "$(pg_bin pg_ctl)" -D "$data/cluster" status >/dev/null 2>&1; then
        quiet run_as_pg "$(pg_bin pg_ctl)" -D "$data/cluster" -m fast -w stop
        say "private PostgreSQL stopped"
    else
        say "private PostgreSQL is not running"
    fi
}

# odoo-bin with our addons and the database connection.
odoo() {
    "$PY" "$ODOO_SRC/odoo-bin" --addons-path "$ODOO_SRC/addons,$REPO_DIR" "${DB_ARGS[@]}" "$@"
}

bootstrap() {
    find_odoo
    ensure_venv
    ensure_postgres
}
