"""Times SCIM provisioning against a running `climb serve`: N users created
one POST at a time, then a full resync (a `userName eq` lookup for each
user, a PATCH only for the users whose title changed), and the same N hires
through `POST /api/v1/people` on a second server for comparison.

    python3 bench/scim.py SCIM_URL SCIM_TOKEN API_URL API_TOKEN N

Standard library only; one keep-alive connection per phase, as an identity
provider's provisioning worker uses.
"""

import http.client
import json
import sys
import time
import urllib.parse

SCIM_JSON = "application/scim+json"
# Every 100th user is promoted during the resync (a transition of the
# built-in framework), so the resync patches 1% of them.
TITLE = "Software Engineer"
PROMOTED = "Senior Software Engineer"


class Client:
    def __init__(self, base, token, content_type):
        url = urllib.parse.urlsplit(base)
        self.prefix = url.path.rstrip("/")
        self.conn = http.client.HTTPConnection(url.hostname, url.port)
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": content_type}

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body)
        self.conn.request(method, self.prefix + path, body=data, headers=self.headers)
        response = self.conn.getresponse()
        text = response.read()
        return response.status, (json.loads(text) if text else None)


def user(i, title):
    email = f"user{i:06d}@example.com"
    return {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": email,
        "externalId": f"ext-{i}",
        "name": {"givenName": "User", "familyName": f"N{i:06d}"},
        "emails": [{"value": email, "type": "work", "primary": True}],
        "title": title,
        "active": True,
    }


def main():
    scim_url, scim_token, api_url, api_token, n = sys.argv[1:6]
    n = int(n)
    scim = Client(scim_url, scim_token, SCIM_JSON)

    start = time.perf_counter()
    for i in range(n):
        status, body = scim.call("POST", "/Users", user(i, TITLE))
        if status != 201:
            sys.exit(f"SCIM POST {i}: {status} {body}")
    create = time.perf_counter() - start

    start = time.perf_counter()
    patched = 0
    for i in range(n):
        wanted = PROMOTED if i % 100 == 0 else TITLE
        query = urllib.parse.quote(f'userName eq "user{i:06d}@example.com"')
        status, body = scim.call("GET", f"/Users?filter={query}")
        if status != 200 or body["totalResults"] != 1:
            sys.exit(f"SCIM lookup {i}: {status} {body}")
        found = body["Resources"][0]
        if found.get("title") != wanted:
            op = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                  "Operations": [{"op": "replace", "path": "title", "value": wanted}]}
            status, body = scim.call("PATCH", f"/Users/{found['id']}", op)
            if status != 200:
                sys.exit(f"SCIM PATCH {i}: {status} {body}")
            patched += 1
    resync = time.perf_counter() - start

    api = Client(api_url, api_token, "application/json")
    start = time.perf_counter()
    for i in range(n):
        hire = {"name": f"User N{i:06d}", "email": f"user{i:06d}@example.com", "role": "software-engineer"}
        status, body = api.call("POST", "/api/v1/people", hire)
        if status != 201:
            sys.exit(f"API POST {i}: {status} {body}")
    api_create = time.perf_counter() - start

    print(f"users: {n}")
    print(f"SCIM create, one POST at a time: {create:.1f} s ({n / create:.0f}/s)")
    print(f"SCIM resync, {n} lookups and {patched} PATCHes: {resync:.1f} s ({n / resync:.0f} lookups/s)")
    print(f"API hires, POST /api/v1/people one at a time: {api_create:.1f} s ({n / api_create:.0f}/s)")


if __name__ == "__main__":
    main()
