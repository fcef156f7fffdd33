# Shared by the parts in scripts/reliability.d/: sourced, not run.
#
#   rel_init NAME         a work folder /tmp/devworkflow-rel-NAME.XXXXXX, the binaries in $BIN, cleanup on exit
#   rel_cluster DIR       a throwaway cluster (socket only, trust) with a migrated database; sets $DB, $SOCKET, $DATADIR
#   rel_database NAME     another migrated database in that cluster; sets $DB
#   rel_seed N            systems, vendors, contracts, budget, a product owner `po`, N requests in VOLIS
#   rel_psql ARGS...      psql against $DB (the real binary, not the perl wrapper)
#   rel_bg LOG CMD...     starts CMD (a program, not a shell function, so that $REL_PID is its own pid)
#                         in the background, logging to LOG; sets $REL_PID; killed on exit
#   "${WFD[@]}" ARGS...   workflowd with English messages, for rel_bg
#   say TEXT              a progress line
#
# PostgreSQL runs as the `postgres` system user in a folder it owns (we run as root).

set -euo pipefail

REL_LIB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REL_ROOT="${WORKFLOW_ROOT:-$(cd "$REL_LIB/../.." && pwd)}"
REL_PY="$REL_LIB/reliability.py"
REL_PIDS=()
REL_CLUSTERS=()

say() { printf '[%s] %s\n' "$REL_NAME" "$*"; }

rel_init() {
  REL_NAME="$1"
  if [[ -n "${WORKFLOW_BIN_DIR:-}" ]]; then
    BIN="$WORKFLOW_BIN_DIR"
  else
    (cd "$REL_ROOT" && swift build >&2)
    BIN="$(cd "$REL_ROOT" && swift build --show-bin-path)"
  fi
  REL_WORK="$(mktemp -d "/tmp/devworkflow-rel-$REL_NAME.XXXXXX")"
  chmod 755 "$REL_WORK"
  trap rel_cleanup EXIT
  trap 'exit 130' INT TERM
  # The product's messages in English for the logs (its own default is Estonian): ctl and wfd set
  # LANG for each call, so that bash itself never switches to a locale the machine may not have.
  export LANG=C.UTF-8
  unset LC_ALL LC_MESSAGES PGHOST PGHOSTADDR PGPORT PGDATABASE PGSERVICE PGUSER WORKFLOW_DATABASE_URL
  PG_BINDIR="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [[ -x "$PG_BINDIR/psql" ]] || { echo "no PostgreSQL server programs under /usr/lib/postgresql" >&2; exit 1; }
  PSQL="$PG_BINDIR/psql"
  # workflowd as one command that execs (no shell function), for rel_bg: signals reach the daemon itself.
  WFD=(env LANG=en_US.UTF-8 "$BIN/workflowd")
  PG_CTL="$PG_BINDIR/pg_ctl"
}

rel_cleanup() {
  local status=$?
  local pid
  for pid in "${REL_PIDS[@]}"; do
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  local dir
  for dir in "${REL_CLUSTERS[@]}"; do
    "$BIN/workflowctl" cluster stop --dir "$dir" >/dev/null 2>&1 || true
  done
  if [[ -n "${REL_KEEP:-}" ]]; then
    echo "kept $REL_WORK" >&2
  else
    rm -rf "$REL_WORK"
  fi
  exit "$status"
}

rel_cluster() {
  local dir="$1"
  REL_CLUSTERS+=("$dir")
  "$BIN/workflowctl" cluster start --dir "$dir" --trust >/dev/null
  SOCKET="$dir/run"
  DATADIR="$dir/data"
  CLUSTER_LOG="$dir/postgresql.log"
  rel_database devworkflow
}

# A migrated database of its own in the cluster (created if missing); sets $DB.
rel_database() {
  DB="host=$SOCKET dbname=$1"
  if [[ -z "$(LC_ALL=C "$PSQL" -X -A -t -d "host=$SOCKET dbname=postgres" -c "SELECT 1 FROM pg_database WHERE datname = '$1'")" ]]; then
    LC_ALL=C "$PSQL" -X -q -d "host=$SOCKET dbname=postgres" -c "CREATE DATABASE \"$1\"" >/dev/null
  fi
  "$BIN/workflowctl" db migrate --database "$DB" >/dev/null
}

rel_psql() { LC_ALL=C "$PSQL" -X -q -A -t -v ON_ERROR_STOP=1 -d "$DB" "$@"; }

ctl() { LANG=en_US.UTF-8 "$BIN/workflowctl" "$@" --database "$DB"; }
wfd() { LANG=en_US.UTF-8 "$BIN/workflowd" "$@"; }

rel_seed() {
  local count="$1" year
  year="$(TZ=Europe/Tallinn date +%Y)"   # the product's year is Tallinn's
  ctl system add VOLIS --name "Volikogu infosüsteem" >/dev/null
  ctl vendor add ACME --name "Acme OÜ" --email info@acme.ee >/dev/null
  ctl vendor add BETA --name "Beta AS" --email sales@beta.ee >/dev/null
  ctl contract add --vendor ACME --number RL-ACME --from "$((year - 1))-01-01" --to "$((year + 1))-12-31" --rate 80 --cap 150000 >/dev/null
  ctl contract add --vendor BETA --number RL-BETA --from "$((year - 1))-01-01" --to "$((year + 1))-12-31" --rate 90 --cap 150000 >/dev/null
  ctl budget set --system VOLIS --year "$year" --amount 200000 >/dev/null
  PGOPTIONS="-c client_min_messages=warning" rel_psql -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'po') THEN CREATE ROLE po LOGIN; END IF; END \$\$" \
           -c "GRANT devworkflow_user TO po" >/dev/null
  ctl person add po --name "Piret Omanik" --email piret@example.ee --role product_owner --system VOLIS >/dev/null
  if ((count > 0)); then
    { echo "title,description"; for ((i = 1; i <= count; i++)); do echo "Muudatus $i,Koormustesti soov $i"; done; } > "$REL_WORK/requests.csv"
    LANG=en_US.UTF-8 "$BIN/workflowctl" request import --system VOLIS "$REL_WORK/requests.csv" --database "$DB user=po" >/dev/null
  fi
  rel_psql -c "SELECT id FROM workflow.request ORDER BY number" > "$REL_WORK/ids"
}

# wait_for SECONDS COMMAND...: polls until COMMAND succeeds; fails after SECONDS.
wait_for() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep "${WAIT_STEP:-0.2}"
  done
}

# The number of lines of a file (0 when it does not exist yet).
lines() { if [[ -f "$1" ]]; then wc -l < "$1"; else echo 0; fi; }

rel_bg() {
  local log="$1"
  shift
  "$@" >"$log" 2>&1 &
  REL_PID=$!
  REL_PIDS+=("$REL_PID")
}
