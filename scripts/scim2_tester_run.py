"""Runs every scim2-tester check against a SCIM endpoint; prints one line
per check and exits 1 when a check fails that is not declared out of scope.

    python scim2_tester_run.py BASE_URL TOKEN
"""

import random
import sys

from httpx2 import Client
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import check_server
from scim2_tester.utils import Status

# Failures left out on purpose, by a phrase of their reason, with why. The
# checker fills users with random values; climb's domain rules refuse some
# of them, and must.
OUT_OF_SCOPE = {
    "(manager_cannot_have_reports)": "the checker makes a manager of a user whose random role has no reports; climb refuses it",
    "(no_such_transition)": "the checker replaces the role attribute with a random role; climb refuses a role change off the framework's transitions",
    "(person_left)": "the checker creates some users with active=false, who are hired and leave at once; climb refuses changes to a person who left",
    "returned unexpected value for 'emails'": "climb keeps one email per person and answers it with type work; the checker sends random types",
}

FAILED = {Status.ERROR, Status.CRITICAL}


def main() -> int:
    base, token = sys.argv[1], sys.argv[2]
    # The checker fills resources with random values: a fixed seed makes a
    # run repeatable.
    random.seed(1)
    http = Client(base_url=base, headers={"Authorization": f"Bearer {token}"})
    client = SyncSCIMClient(http)
    results = check_server(client)
    failures = 0
    excused_count = 0
    for result in results:
        title = result.title or "?"
        scope = f" [{result.resource_type}]" if result.resource_type else ""
        reason = str(result.reason or "")
        excused = next((why for phrase, why in OUT_OF_SCOPE.items() if phrase in reason), None)
        mark = result.status.name
        if result.status in FAILED and excused:
            mark = f"OUT OF SCOPE ({excused})"
            excused_count += 1
        elif result.status in FAILED:
            failures += 1
        print(f"{mark:>10}  {title}{scope}" + (f": {result.reason}" if result.reason and result.status in FAILED else ""))
    skipped = sum(1 for r in results if r.status == Status.SKIPPED)
    passed = len(results) - failures - excused_count - skipped
    print(f"out of scope: {excused_count}, skipped by the checker: {skipped}")
    print(f"{passed} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
