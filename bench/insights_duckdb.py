"""The insights questions of the analytics bench asked of DuckDB, as SQL over
the tables `export_company` writes (people, history, roles, transitions),
on the whole company. Loads the CSV files into in-memory tables (not
timed), runs each question once to warm up and then RUNS times and prints
the median, then reads
climb's figures of the same run from Criterion's estimates and prints the
ratios.

    python insights_duckdb.py DATA_DIR CRITERION_DIR [RUNS]

What each side computes is written beside each query; see the bench
README for the table.
"""

import json
import os
import statistics
import sys
import time

import duckdb

AS_OF = "2026-12-01"
# The flow's period: the year before AS_OF, [from, to); its population is
# seen on the period's last day.
PERIOD_FROM = "2025-12-01"
PERIOD_TO = "2026-12-01"
PERIOD_LAST = "2026-11-30"
# Calendar years the period touches, clipped to it (as climb's flow does).
YEARS = [(2025, "2025-12-01", "2026-01-01"), (2026, "2026-01-01", "2026-12-01")]
THRESHOLD = 8

# Spells as climb's time in role sees them on AS_OF: entries on or before
# the day of people started by it; a spell ends with the next entry (when
# on or before the last day worked), else with the leaving, else it runs
# to the day.
SPELLS = f"""
WITH seen AS (
    SELECT h.person, h.to_role, h.effective_date AS start,
           lead(h.effective_date) OVER w AS next_date,
           lead(h.reason) OVER w AS next_reason,
           CASE WHEN p.end_date <= DATE '{AS_OF}' THEN p.end_date END AS left_by
    FROM history h JOIN people p ON p.id = h.person
    WHERE h.effective_date <= DATE '{AS_OF}' AND p.start_date <= DATE '{AS_OF}'
    WINDOW w AS (PARTITION BY h.person ORDER BY h.seq)
), spells AS (
    SELECT to_role,
           CASE WHEN next_date IS NOT NULL AND (left_by IS NULL OR next_date <= left_by)
                    THEN datediff('day', start, next_date)
                WHEN left_by IS NOT NULL THEN datediff('day', start, left_by)
                ELSE datediff('day', start, DATE '{AS_OF}') END AS days,
           coalesce(next_date IS NOT NULL AND (left_by IS NULL OR next_date <= left_by)
                    AND next_reason = 'promotion', false) AS promoted
    FROM seen JOIN roles r ON r.id = seen.to_role
    WHERE left_by IS NULL OR start <= left_by
)
"""

QUESTIONS = {
    # The plain median of the completed spells: days from a role's start
    # to the promotion out of it, over the spells whose promotion took
    # effect by AS_OF (the biased figure climb's Kaplan–Meier corrects).
    # DuckDB's shortest form of it: no join with people (in this data
    # nobody is promoted after leaving).
    "time_in_role (plain median of completed spells)": [
        f"""
        SELECT to_role, median(datediff('day', effective_date, next_date)) AS median_days,
               count(*) AS promotions
        FROM (
            SELECT to_role, effective_date,
                   lead(effective_date) OVER w AS next_date,
                   lead(reason) OVER w AS next_reason
            FROM history
            WINDOW w AS (PARTITION BY person ORDER BY seq)
        )
        WHERE next_reason = 'promotion' AND next_date <= DATE '{AS_OF}'
        GROUP BY to_role ORDER BY to_role
        """
    ],
    # The same Kaplan–Meier median as climb: every spell, those not ended
    # by a promotion censored; the curve is the running product of
    # (1 - events / at risk) by day, the median the first day it falls
    # to one half.
    "time_in_role (Kaplan–Meier median)": [
        SPELLS
        + """
        , by_day AS (
            SELECT to_role, greatest(days, 0) AS days, count(*) AS n,
                   count(*) FILTER (WHERE promoted) AS events
            FROM spells GROUP BY ALL
        ), curve AS (
            SELECT to_role, days, events,
                   sum(n) OVER (PARTITION BY to_role ORDER BY days DESC
                                ROWS UNBOUNDED PRECEDING) AS at_risk
            FROM by_day
        ), survival AS (
            SELECT to_role, days,
                   product(1 - events / at_risk) OVER (PARTITION BY to_role ORDER BY days
                                                       ROWS UNBOUNDED PRECEDING) AS s
            FROM curve
        )
        SELECT to_role, min(days) FILTER (WHERE s <= 0.5 + 1e-12) AS median_days
        FROM survival GROUP BY to_role ORDER BY to_role
        """
    ],
    # Headcount per stream, seniority and role on AS_OF: each person at
    # work that day in the role of their latest entry on or before it
    # (their first entry if none), and those in roles the framework lacks.
    "pyramid": [
        f"""
        WITH role_on AS (
            SELECT p.id,
                   coalesce(max_by(h.to_role, h.seq) FILTER (WHERE h.effective_date <= DATE '{AS_OF}'),
                            min_by(h.to_role, h.seq)) AS role
            FROM people p JOIN history h ON h.person = p.id
            WHERE p.start_date <= DATE '{AS_OF}'
              AND (p.end_date IS NULL OR p.end_date >= DATE '{AS_OF}')
            GROUP BY p.id
        )
        SELECT r.stream, r.seniority, role_on.role, count(*) AS headcount,
               count(*) FILTER (WHERE r.id IS NULL) AS outside_framework
        FROM role_on LEFT JOIN roles r ON r.id = role_on.role
        GROUP BY ALL ORDER BY ALL
        """
    ],
    # The flow over the year before AS_OF: moves per (from, to) between
    # roles of the framework; per calendar year and role, the people who
    # held it (spells overlapping the year), the promotions and lateral
    # moves out of it and the people who left from it.
    "flow": [
        f"""
        SELECT h.from_role, h.to_role, count(*) AS moves,
               count(*) FILTER (WHERE h.reason = 'correction') AS corrections
        FROM history h JOIN people p ON p.id = h.person
             JOIN roles a ON a.id = h.from_role JOIN roles b ON b.id = h.to_role
        WHERE p.start_date <= DATE '{PERIOD_LAST}'
          AND h.effective_date >= DATE '{PERIOD_FROM}' AND h.effective_date < DATE '{PERIOD_TO}'
        GROUP BY ALL ORDER BY ALL
        """,
        f"""
        WITH spells AS (
            SELECT h.person, h.to_role AS role, h.from_role, h.reason, h.effective_date,
                   greatest(h.effective_date, p.start_date) AS s,
                   least(coalesce(lead(h.effective_date) OVER w, DATE '9999-12-31'),
                         coalesce(p.end_date + 1, DATE '9999-12-31')) AS e
            FROM history h JOIN people p ON p.id = h.person
            WHERE p.start_date <= DATE '{PERIOD_LAST}'
            WINDOW w AS (PARTITION BY h.person ORDER BY h.seq)
        ), years AS (
            SELECT * FROM (VALUES {", ".join(f"({y}, DATE '{a}', DATE '{b}')" for y, a, b in YEARS)})
                AS t(year, y_from, y_to)
        ), held AS (
            SELECT y.year, s.role, count(DISTINCT s.person) AS held
            FROM spells s JOIN years y ON s.s < y.y_to AND y.y_from < s.e
                 JOIN roles r ON r.id = s.role
            GROUP BY ALL
        ), moves_out AS (
            SELECT year(effective_date) AS year, from_role AS role,
                   count(*) FILTER (WHERE reason = 'promotion') AS promotions,
                   count(*) FILTER (WHERE reason = 'lateral') AS laterals
            FROM spells
            WHERE effective_date >= DATE '{PERIOD_FROM}' AND effective_date < DATE '{PERIOD_TO}'
              AND from_role IS NOT NULL
            GROUP BY ALL
        ), leavers AS (
            SELECT year(p.end_date) AS year,
                   coalesce(max_by(h.to_role, h.seq) FILTER (WHERE h.effective_date <= p.end_date),
                            min_by(h.to_role, h.seq)) AS role
            FROM people p JOIN history h ON h.person = p.id
            WHERE p.start_date <= DATE '{PERIOD_LAST}'
              AND p.end_date >= DATE '{PERIOD_FROM}' AND p.end_date < DATE '{PERIOD_TO}'
            GROUP BY p.id, p.end_date
        ), left_counts AS (
            SELECT year, role, count(*) AS leavers FROM leavers GROUP BY ALL
        )
        SELECT held.year, held.role, held.held,
               coalesce(m.promotions, 0) / held.held AS promotion_rate,
               coalesce(m.laterals, 0) / held.held AS lateral_rate,
               coalesce(l.leavers, 0) / held.held AS leaving_rate
        FROM held LEFT JOIN moves_out m USING (year, role) LEFT JOIN left_counts l USING (year, role)
        ORDER BY ALL
        """,
    ],
    # Span of control on AS_OF: direct reports at work per manager at
    # work, the distribution, managers with one report or more than
    # THRESHOLD, and the number of layers (a recursive walk down).
    "span": [
        f"""
        CREATE OR REPLACE TEMP TABLE at_work AS
        SELECT id, manager FROM people
        WHERE start_date <= DATE '{AS_OF}' AND (end_date IS NULL OR end_date >= DATE '{AS_OF}')
        """,
        """
        CREATE OR REPLACE TEMP TABLE reports AS
        SELECT a.manager AS id, count(*) AS reports
        FROM at_work a JOIN at_work m ON m.id = a.manager GROUP BY a.manager
        """,
        """
        SELECT (SELECT count(*) FROM at_work) AS people, count(*) AS managers,
               (SELECT count(*) FROM at_work) - count(*) AS ics
        FROM reports
        """,
        "SELECT reports, count(*) AS managers FROM reports GROUP BY reports ORDER BY reports",
        f"SELECT id, reports FROM reports WHERE reports = 1 OR reports > {THRESHOLD} ORDER BY id",
        """
        WITH RECURSIVE tree(id, depth) AS (
            SELECT id, 1 FROM at_work a
            WHERE a.manager IS NULL OR NOT EXISTS (SELECT 1 FROM at_work m WHERE m.id = a.manager)
            UNION ALL
            SELECT a.id, t.depth + 1 FROM at_work a JOIN tree t ON a.manager = t.id
        )
        SELECT max(depth) AS layers FROM tree
        """,
    ],
}

# climb's bench function for each question (Criterion group insights/company).
CLIMB = {
    "time_in_role (plain median of completed spells)": "time_in_role",
    "time_in_role (Kaplan–Meier median)": "time_in_role",
    "pyramid": "pyramid",
    "flow": "flow",
    "span": "span",
}


def load(con, data):
    con.execute(
        f"""
        CREATE TABLE people AS SELECT * FROM read_csv('{data}/people.csv', header = true,
            columns = {{'id': 'BIGINT', 'manager': 'BIGINT', 'start_date': 'DATE',
                       'end_date': 'DATE', 'active': 'BOOLEAN'}});
        CREATE TABLE history AS SELECT * FROM read_csv('{data}/history.csv', header = true,
            columns = {{'person': 'BIGINT', 'seq': 'INTEGER', 'from_role': 'VARCHAR',
                       'to_role': 'VARCHAR', 'effective_date': 'DATE', 'reason': 'VARCHAR'}});
        CREATE TABLE roles AS SELECT * FROM read_csv('{data}/roles.csv', header = true);
        CREATE TABLE transitions AS SELECT * FROM read_csv('{data}/transitions.csv', header = true);
        """
    )


def climb_seconds(criterion, function):
    path = os.path.join(criterion, "insights_company", function, "new", "estimates.json")
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)["median"]["point_estimate"] / 1e9
    except (OSError, KeyError, ValueError):
        return None


def main():
    data, criterion = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    con = duckdb.connect()
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    started = time.perf_counter()
    load(con, data)
    people = con.execute("SELECT count(*) FROM people").fetchone()[0]
    entries = con.execute("SELECT count(*) FROM history").fetchone()[0]
    print(
        f"duckdb {duckdb.__version__}, {threads} threads: {people} people, {entries} history "
        f"entries loaded in {time.perf_counter() - started:.1f} s (not timed below)"
    )
    print(f"{'question':<50} {'duckdb (median)':>16} {'climb (median)':>15} {'duckdb / climb':>15}")
    for name, statements in QUESTIONS.items():
        # One run to warm up, as Criterion does for climb.
        for sql in statements:
            con.execute(sql).fetchall()
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            for sql in statements:
                con.execute(sql).fetchall()
            times.append(time.perf_counter() - start)
        duck = statistics.median(times)
        climb = climb_seconds(criterion, CLIMB[name])
        ratio = f"{duck / climb:.1f}x" if climb else "-"
        climb_text = f"{climb * 1e3:.1f} ms" if climb else "-"
        print(f"{name:<50} {duck * 1e3:>13.1f} ms {climb_text:>15} {ratio:>15}")
    if os.environ.get("SHOW_ANSWERS"):
        for name, statements in QUESTIONS.items():
            print(f"\n== {name}")
            for row in con.execute(statements[-1]).fetchall()[:40]:
                print(row)


if __name__ == "__main__":
    main()
