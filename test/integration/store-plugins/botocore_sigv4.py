"""botocore's SigV4Auth as the reference for the aws-sigv4 plugin.

Reads one JSON request on stdin: {method, url, headers, body, service, region,
time (YYYYMMDDTHHMMSSZ), access_key, secret_key, token}; prints the headers
botocore's SigV4Auth.add_auth sets (S3SigV4Auth's for service s3), as JSON,
signing at that time.
"""

import datetime
import json
import sys
from unittest import mock

from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def main():
    given = json.load(sys.stdin)
    fixed = datetime.datetime.strptime(given["time"], "%Y%m%dT%H%M%SZ")

    class Frozen(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return fixed

    credentials = Credentials(given["access_key"], given["secret_key"], given.get("token"))
    body = given.get("body")
    request = AWSRequest(
        method=given["method"],
        url=given["url"],
        data=body.encode("utf-8") if body is not None else None,
        headers=given.get("headers") or {},
    )
    with mock.patch("botocore.auth.datetime.datetime", Frozen):
        signer = S3SigV4Auth if given["service"] == "s3" else SigV4Auth
        signer(credentials, given["service"], given["region"]).add_auth(request)
    json.dump(dict(request.headers.items()), sys.stdout)


main()
