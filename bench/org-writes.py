#!/usr/bin/env python3
"""Times single structural writes, for bench/org-writes.sh.

    org-writes.py http URL TOKEN MANAGER DIRECTOR OTHER_DIRECTOR COUNT
        COUNT hires under MANAGER (POST /api/v1/people), then COUNT manager
        changes moving MANAGER and their team between the two directors
        (PUT /api/v1/people/{id}/manager), one request after the other over
        one kept-alive connection; every answer must be a 2xx.

    org-writes.py sqlite DB_PATH MANAGER DIRECTOR OTHER_DIRECTOR COUNT
        The peer: the same writes as raw durable SQLite transactions on a
        copy of the same database (WAL, synchronous=FULL, as climb opens it). A hire
        writes the same three rows climb does (the person, the role history
        entry, the audit event with its JSON and digests); a manager change
        updates the person and appends its audit event.

Each prints one line per kind: count, p50, p90, p99 and max in milliseconds.
"""

import hashlib
import http.client
import json
import sqlite3
import sys
import time
import urllib.parse


def report(name, seconds):
    seconds = sorted(seconds)

    def pct(p):
        return seconds[min(len(seconds) - 1, int(p * len(seconds)))] * 1e3

    print(
        f"{name:<34} n={len(seconds):<5} p50={pct(0.50):8.3f} ms  p90={pct(0.90):8.3f} ms  "
        f"p99={pct(0.99):8.3f} ms  max={seconds[-1] * 1e3:8.3f} ms",
        flush=True,
    )


def http_bench(url, token, manager, director, other_director, count):
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    stamp = int(time.time())

    def call(method, path, body):
        payload = json.dumps(body)
        started = time.perf_counter()
        conn.request(method, path, body=payload, headers=headers)
        answer = conn.getresponse()
        data = answer.read()
        spent = time.perf_counter() - started
        if not 200 <= answer.status < 300:
            sys.exit(f"{method} {path}: {answer.status} {data[:300]!r}")
        return spent

    hires = [
        call(
            "POST",
            "/api/v1/people",
            {
                "name": f"Bench Hire {stamp}-{i}",
                "email": f"bench-hire-{stamp}-{i}@example.com",
                "role": "software-engineer",
                "manager": manager,
            },
        )
        for i in range(count)
    ]
    report("HTTP hire", hires)
    moves = [
        call(
            "PUT",
            f"/api/v1/people/{manager}/manager",
            {"manager": other_director if i % 2 == 0 else director},
        )
        for i in range(count)
    ]
    report("HTTP manager change (team)", moves)


def sqlite_bench(path, manager, director, other_director, count):
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("PRAGMA foreign_keys = ON")
    (next_id,) = db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM people").fetchone()
    (prev,) = db.execute("SELECT digest FROM audit_events ORDER BY seq DESC LIMIT 1").fetchone() or ("",)
    stamp = int(time.time())

    def digest(*parts):
        return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()

    def audit(action, subject, after):
        nonlocal prev
        at = time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime())
        body = json.dumps(after)
        body_digest = digest(None, body, body)
        sealed = digest(prev, at, "admin", action, subject, body_digest)
        db.execute(
            "INSERT INTO audit_events (at, actor, action, subject_kind, subject_id, before, after, "
            "change, prev_digest, body_digest, digest) VALUES (?, 'admin', ?, 'person', ?, NULL, ?, ?, ?, ?, ?)",
            (at, action, subject, body, body, prev, body_digest, sealed),
        )
        prev = sealed

    hires = []
    for i in range(count):
        person = next_id + i
        row = {
            "id": person,
            "name": f"Peer Hire {stamp}-{i}",
            "email": f"peer-hire-{stamp}-{i}@example.com",
            "status": "active",
            "role": "software-engineer",
            "manager": manager,
            "start_date": "2026-01-01",
        }
        started = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.execute(
            "INSERT INTO people (id, name, email, status, role, manager_id, start_date) "
            "VALUES (?, ?, ?, 'active', 'software-engineer', ?, '2026-01-01')",
            (person, row["name"], row["email"], manager),
        )
        db.execute(
            "INSERT INTO role_history (person_id, from_role, to_role, effective_date, reason) "
            "VALUES (?, NULL, 'software-engineer', '2026-01-01', 'hire')",
            (person,),
        )
        audit("person.hired", person, row)
        db.execute("COMMIT")
        hires.append(time.perf_counter() - started)
    report("raw SQLite hire (3 rows)", hires)
    moves = []
    for i in range(count):
        to = other_director if i % 2 == 0 else director
        started = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.execute("UPDATE people SET manager_id = ? WHERE id = ?", (to, manager))
        audit("person.manager_changed", manager, {"person": manager, "to": to})
        db.execute("COMMIT")
        moves.append(time.perf_counter() - started)
    report("raw SQLite manager change (2 rows)", moves)
    db.close()


def main():
    kind, rest = sys.argv[1], sys.argv[2:]
    if kind == "http":
        url, token, manager, director, other_director, count = rest
        http_bench(url, token, int(manager), int(director), int(other_director), int(count))
    elif kind == "sqlite":
        path, manager, director, other_director, count = rest
        sqlite_bench(path, int(manager), int(director), int(other_director), int(count))
    else:
        sys.exit(f"unknown kind {kind}")


if __name__ == "__main__":
    main()
