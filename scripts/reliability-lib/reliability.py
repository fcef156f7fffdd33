#!/usr/bin/env python3
"""Helpers of the reliability suite (scripts/reliability.d/*): movers that run workflowctl as a
user would, the checks that read the database afterwards, and tiny HTTP receivers.

    reliability.py cli-mover   --bin DIR --database CONNINFO --ids FILE --seconds S --seed N --log FILE
    reliability.py check-moves --psql PSQL --database CONNINFO [--cli-log FILE ...] [--library-log FILE ...]
    reliability.py check-file-sink --psql PSQL --database CONNINFO --file JSONL [--allowed-repeats N]
    reliability.py receiver    --port N --log FILE --control FILE

Each check prints what it found as `key=value` pairs on its last line and exits 1 when a
promise was broken. Only the standard library is used.
"""

import argparse
import collections
import http.server
import json
import os
import random
import subprocess
import sys
import threading
import time

# Transitions that end a request are rare, so the requests stay in play for the whole run
# (the same weights as workflow-bench load).
WEIGHTS = {
    "prioritise": 1000, "request_quote": 1000, "quote": 1000, "order": 1000, "deliver": 1000, "return": 800,
    "accept": 10, "reject": 3, "cancel": 3, "release": 3,
}
VENDORS = ["ACME", "BETA"]

# Exit codes of workflowctl (sysexits.h), as PRODUCT.md lists them.
EXIT_OK, EXIT_GUARD, EXIT_UNAVAILABLE, EXIT_CONFLICT = 0, 65, 69, 75


def pick(rng, transitions):
    total = sum(WEIGHTS.get(t, 1) for t in transitions)
    if total == 0:
        return None
    roll = rng.randrange(total)
    for t in transitions:
        roll -= WEIGHTS.get(t, 1)
        if roll < 0:
            return t
    return transitions[-1]


def inputs(rng, transition):
    """The options a transition requires, chosen at random (some are refused by guards)."""
    day = time.strftime("%Y-%m-%d", time.localtime(time.time() + 86400 * (10 + rng.randrange(60))))
    if transition == "prioritise":
        return ["--priority", str(1 + rng.randrange(5))]
    if transition in ("request_quote", "invite"):
        chosen = VENDORS if rng.randrange(3) == 0 else [rng.choice(VENDORS)]
        return sum((["--vendor", v] for v in chosen), [])
    if transition == "quote":
        return ["--vendor", rng.choice(VENDORS), "--hours", str(40 + rng.randrange(40)),
                "--price", "%d.%02d" % (100 + rng.randrange(3000), rng.randrange(100)), "--delivery", day]
    if transition == "order":
        return ["--vendor", rng.choice(VENDORS)]
    if transition == "deliver":
        return ["--note", "valmis"]
    if transition == "return":
        return ["--reason", "vajab parandust"]
    if transition == "release":
        return ["--version-name", "1.%d" % rng.randrange(100)]
    if transition in ("reject", "cancel", "hold"):
        return ["--reason", "koormustest"]
    return []


def clean_error(stderr):
    """A refusal is one line on stderr, `workflowctl: error: …`."""
    lines = [l for l in stderr.splitlines() if l.strip()]
    return len(lines) == 1 and lines[0].startswith("workflowctl: error: ")


def cli_mover(args):
    """One process's loop: read the transitions, pick one, move with --expect-version."""
    rng = random.Random(args.seed)
    ids = [l.strip() for l in open(args.ids) if l.strip()]
    ctl = os.path.join(args.bin, "workflowctl")
    env = dict(os.environ, LANG="en_US.UTF-8")
    env.pop("LC_ALL", None)
    env.pop("LC_MESSAGES", None)
    finished = set()
    deadline = time.time() + args.seconds
    with open(args.log, "w") as log:
        def call(kind, request, argv, **extra):
            started = time.time()
            done = subprocess.run([ctl] + argv + ["--database", args.database, "--json"], env=env,
                                  capture_output=True, text=True)
            record = {"t0": started, "t1": time.time(), "call": kind, "id": request, "exit": done.returncode,
                      "clean": done.returncode == 0 or clean_error(done.stderr),
                      "err": done.stderr.strip().splitlines()[0][:300] if done.stderr.strip() else ""}
            record.update(extra)
            return record, done.stdout

        while time.time() < deadline:
            live = [i for i in ids if i not in finished]
            if not live:
                break
            request = rng.choice(live)
            record, out = call("read", request, ["request", "transitions", request])
            if record["exit"] != EXIT_OK:
                log.write(json.dumps(record) + "\n")
                if record["exit"] == EXIT_UNAVAILABLE:
                    time.sleep(0.1)
                continue
            facts = json.loads(out)
            allowed = [t["name"] for t in facts["transitions"] if t["allowed"]]
            transition = pick(rng, allowed)
            if transition is None:
                finished.add(request)
                continue
            version = facts["version"]
            record, out = call("move", request, ["request", "move", request, transition, "--expect-version", str(version)]
                               + inputs(rng, transition), transition=transition, expect=version)
            if record["exit"] == EXIT_OK:
                record["version"] = json.loads(out)["version"]
            log.write(json.dumps(record) + "\n")
            log.flush()
            if record["exit"] == EXIT_UNAVAILABLE:
                time.sleep(0.1)


def psql(args, sql):
    done = subprocess.run([args.psql, "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-d", args.database, "-c", sql],
                          capture_output=True, text=True, env=dict(os.environ, LC_ALL="C"))
    if done.returncode != 0:
        sys.exit("psql failed: " + done.stderr.strip())
    return [line.split("\t") for line in done.stdout.splitlines() if line]


def scalar(args, sql):
    return int(psql(args, sql)[0][0])


# What no state may look like, whatever the order of moves: each line is one broken promise.
IMPOSSIBLE = """
SELECT count(*) FROM workflow.request r
LEFT JOIN workflow.purchase_order o ON o.request_id = r.id
WHERE r.state NOT IN (SELECT name FROM workflow.workflow_state)
   OR (r.state IN ('ordered', 'delivered', 'accepted', 'released') AND (o.number IS NULL OR o.cancelled_at IS NOT NULL))
   OR (r.state = 'ordered' AND o.delivered_at IS NOT NULL)
   OR (r.state = 'delivered' AND o.delivered_at IS NULL)
   OR (r.state IN ('accepted', 'released') AND o.accepted_at IS NULL)
   OR (r.state = 'released' AND o.released_at IS NULL)
   OR (r.state IN ('proposed', 'prioritised', 'quote_requested', 'quoted') AND o.number IS NOT NULL)
   OR (r.state IN ('proposed', 'prioritised') AND EXISTS (SELECT 1 FROM workflow.invitation i WHERE i.request_id = r.id))
   OR (r.state IN ('quote_requested', 'quoted') AND NOT EXISTS (SELECT 1 FROM workflow.invitation i WHERE i.request_id = r.id))
   OR (r.state = 'quoted' AND NOT EXISTS (SELECT 1 FROM workflow.quote q WHERE q.request_id = r.id))
   OR (r.state = 'proposed' AND r.priority IS NOT NULL)
   OR (r.state NOT IN ('proposed', 'rejected', 'cancelled') AND r.priority IS NULL)
   OR (o.number IS NOT NULL AND o.returns <> (SELECT count(*) FROM workflow.event e WHERE e.request_id = r.id AND e.transition = 'return'))
"""

# Every history an unbroken chain: seq 1..version without a gap, each event's from = the previous
# event's to, each step one the workflow allows, and the last event's to = the request's state.
BROKEN = """
SELECT count(*) FROM (
    SELECT r.id FROM workflow.request r JOIN workflow.event e ON e.request_id = r.id
    LEFT JOIN workflow.event p ON p.request_id = e.request_id AND p.seq = e.seq - 1
    GROUP BY r.id, r.version, r.state, r.definition
    HAVING count(*) <> r.version OR min(e.seq) <> 1 OR max(e.seq) <> r.version
        OR bool_or(e.seq > 1 AND (p.to_state IS NULL OR p.to_state IS DISTINCT FROM e.from_state))
        OR bool_or(e.seq > 1 AND NOT EXISTS (SELECT 1 FROM workflow.workflow_transition t
                   WHERE t.definition = r.definition AND t.name = e.transition AND t.from_state = e.from_state
                     AND t.to_state = e.to_state))
        OR (array_agg(e.to_state ORDER BY e.seq DESC))[1] <> r.state
    UNION ALL
    SELECT r.id FROM workflow.request r WHERE NOT EXISTS (SELECT 1 FROM workflow.event e WHERE e.request_id = r.id)
) bad
"""

# Money: no system spent more than its budget, no contract more than its cap; order numbers gapless.
OVERSPENT = """
SELECT (SELECT count(*) FROM workflow.budget b WHERE b.amount < (SELECT coalesce(sum(o.price), 0) FROM workflow.purchase_order o
            JOIN workflow.request r ON r.id = o.request_id
            WHERE r.system = b.system AND extract(year FROM o.order_date) = b.year AND o.cancelled_at IS NULL))
     + (SELECT count(*) FROM workflow.contract c WHERE c.cap < (SELECT coalesce(sum(o.price), 0) FROM workflow.purchase_order o
            WHERE o.contract_id = c.id AND o.cancelled_at IS NULL))
     + (SELECT count(*) FROM workflow.order_counter k WHERE k.last <> (SELECT count(*) FROM workflow.purchase_order o
            WHERE extract(year FROM o.order_date) = k.year))
"""


def check_moves(args):
    """Matches every success a mover saw to exactly one event, and checks the histories."""
    counts = collections.Counter()
    claims = collections.Counter()
    wrong_transition = 0
    unclean = []
    allowed = {EXIT_OK, EXIT_GUARD, EXIT_CONFLICT} | ({EXIT_UNAVAILABLE} if args.outage_ok else set())
    for path in args.cli_log or []:
        for line in open(path):
            r = json.loads(line)
            if r["call"] == "move":
                counts["operations"] += 1
                counts["cli_operations"] += 1
            code = r["exit"]
            if code == EXIT_OK and r["call"] == "move":
                counts["successes"] += 1
                claims[(r["id"], r["version"], r["transition"])] += 1
            elif code == EXIT_CONFLICT:
                counts["conflicts" if r["call"] == "move" else "read_conflicts"] += 1
            elif code == EXIT_GUARD:
                counts["guards" if r["call"] == "move" else "read_guards"] += 1
            elif code == EXIT_UNAVAILABLE:
                counts["unavailable"] += 1
                if r["call"] == "move":
                    counts["ambiguous"] += 1
            if code not in allowed or not r["clean"]:
                counts["unexplained"] += 1
                unclean.append("%s %s exit %s: %s" % (r["call"], r["id"], code, r["err"]))
    for path in args.library_counts or []:
        c = json.load(open(path))
        for key in ("operations", "successes", "conflicts", "guards", "unexplained"):
            counts[key] += c[key]
        counts["library_operations"] += c["operations"]
        unclean += c["samples"]
    for path in args.library_log or []:
        for line in open(path):
            request, version, transition, _ = line.rstrip("\n").split("\t")
            claims[(request, int(version), transition)] += 1
    events = {(r[0], int(r[1])): r[2] for r in psql(args, "SELECT request_id, seq, transition FROM workflow.event WHERE seq > 1")}
    lost = 0
    doubled = 0
    claimed = set()
    for (request, version, transition), n in claims.items():
        recorded = events.get((request, version))
        if recorded is None:
            lost += n
        elif recorded != transition:
            wrong_transition += n
        else:
            claimed.add((request, version))
            doubled += n - 1
    unacknowledged = len(set(events) - claimed)
    broken = scalar(args, BROKEN)
    impossible = scalar(args, IMPOSSIBLE)
    overspent = scalar(args, OVERSPENT)
    version_mismatch = scalar(args, "SELECT count(*) FROM workflow.request r WHERE r.version <> "
                                    "(SELECT count(*) FROM workflow.event e WHERE e.request_id = r.id)")
    for sample in unclean[:10]:
        print("  unexplained: " + sample)
    # A move whose connection broke may still have committed: its event is then in the history
    # without a success to match. That is allowed only up to the number of such calls.
    doubled += max(0, unacknowledged - counts["ambiguous"]) + wrong_transition
    ok = (counts["unexplained"] == 0 and lost == 0 and doubled == 0 and broken == 0 and impossible == 0
          and overspent == 0 and version_mismatch == 0 and counts["operations"] > 0)
    print("operations=%d successes=%d conflicts=%d guards=%d unavailable=%d unexplained=%d lost=%d doubled=%d "
          "unacknowledged=%d broken_chains=%d version_mismatch=%d impossible=%d overspent=%d events=%d cli_operations=%d library_operations=%d"
          % (counts["operations"], counts["successes"], counts["conflicts"], counts["guards"], counts["unavailable"],
             counts["unexplained"], lost, doubled, unacknowledged, broken, version_mismatch, impossible, overspent, len(events),
             counts["cli_operations"], counts["library_operations"]))
    sys.exit(0 if ok else 1)


def check_file_sink(args):
    """Every outbox message delivered and in the file at least once; repeats bounded and identical."""
    lines = []
    with open(args.file) as f:
        for n, line in enumerate(f, 1):
            try:
                lines.append(json.loads(line))
            except ValueError:
                print("  line %d of %s is not JSON (a torn write): %r" % (n, args.file, line[:80]))
                lines.append(None)
    torn = sum(1 for l in lines if l is None)
    lines = [l for l in lines if l is not None]
    seen = collections.Counter(l["idempotency_key"] for l in lines)
    first = {}
    differing = 0
    for l in lines:
        key = l["idempotency_key"]
        if key in first and first[key] != l:
            differing += 1
        first.setdefault(key, l)
    rows = psql(args, "SELECT idempotency_key, status FROM workflow.outbox")
    keys = {r[0] for r in rows}
    undelivered = sum(1 for r in rows if r[1] != "delivered")
    lost = sum(1 for k in keys if seen[k] == 0)
    unknown = sum(1 for k in seen if k not in keys)
    repeats = sum(n - 1 for n in seen.values())
    doubled = max(0, repeats - args.allowed_repeats) + differing + unknown
    ok = lost == 0 and undelivered == 0 and doubled == 0 and torn == 0 and len(keys) > 0
    print("messages=%d lines=%d repeats=%d allowed_repeats=%d lost=%d undelivered=%d doubled=%d differing_repeats=%d torn=%d"
          % (len(keys), len(lines) + torn, repeats, args.allowed_repeats, lost, undelivered, doubled, differing, torn))
    sys.exit(0 if ok else 1)


def receiver(args):
    """A webhook receiver whose behaviour a control file sets: `ok`, `fail` (500 for every message
    of the requests listed after it), or `hang SECONDS` (sleeps before answering). Logs each
    request as one JSON line: time, key, request, status sent (or "hung")."""
    lock = threading.Lock()
    log = open(args.log, "a")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            try:
                document = json.loads(body)
            except ValueError:
                document = {}
            try:
                mode = open(args.control).read().split()
            except OSError:
                mode = ["ok"]
            status = 200
            if mode and mode[0] == "hang":
                with lock:
                    log.write(json.dumps({"t": time.time(), "key": self.headers.get("Idempotency-Key"),
                                          "request": document.get("request"), "status": "hung"}) + "\n")
                    log.flush()
                time.sleep(float(mode[1]) if len(mode) > 1 else 30)
                return  # no answer at all: the daemon's timeout must fire
            if mode and mode[0] == "fail" and document.get("request") in mode[1:]:
                status = 500
            with lock:
                log.write(json.dumps({"t": time.time(), "key": self.headers.get("Idempotency-Key"),
                                      "request": document.get("request"), "status": status}) + "\n")
                log.flush()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"ok\n" if status == 200 else b"receiver broken on purpose\n")

        def log_message(self, *a):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.serve_forever()


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("cli-mover")
    m.add_argument("--bin", required=True)
    m.add_argument("--database", required=True)
    m.add_argument("--ids", required=True)
    m.add_argument("--seconds", type=float, required=True)
    m.add_argument("--seed", type=int, default=1)
    m.add_argument("--log", required=True)
    c = sub.add_parser("check-moves")
    c.add_argument("--psql", required=True)
    c.add_argument("--database", required=True)
    c.add_argument("--cli-log", action="append")
    c.add_argument("--library-log", action="append")
    c.add_argument("--library-counts", action="append")
    c.add_argument("--outage-ok", action="store_true", help="exit 69 (database unavailable) is an expected refusal")
    s = sub.add_parser("check-file-sink")
    s.add_argument("--psql", required=True)
    s.add_argument("--database", required=True)
    s.add_argument("--file", required=True)
    s.add_argument("--allowed-repeats", type=int, default=0)
    r = sub.add_parser("receiver")
    r.add_argument("--port", type=int, required=True)
    r.add_argument("--log", required=True)
    r.add_argument("--control", required=True)
    args = parser.parse_args()
    {"cli-mover": cli_mover, "check-moves": check_moves, "check-file-sink": check_file_sink, "receiver": receiver}[args.command](args)


if __name__ == "__main__":
    main()
