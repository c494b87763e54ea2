"""PyJWT (Debian's python3-jwt) as the reference verifier for the jwt plugin.

Reads {token, key, algorithm, check_time, issuer?, audience?} on stdin, where key is a
public key PEM or the HS256 secret; prints {"header", "claims"} when the token
verifies, or {"error": "..."} when it does not. With check_time false the
signature is checked but not exp/iat against the clock (tokens made at a fixed
test time).
"""

import json
import sys

import jwt


def main():
    given = json.load(sys.stdin)
    options = {"require": ["exp", "iat"]}
    if not given["check_time"]:
        options.update({"verify_exp": False, "verify_iat": False, "verify_nbf": False})
    kwargs = {}
    if given.get("issuer") is not None:
        kwargs["issuer"] = given["issuer"]
    if given.get("audience") is not None:
        kwargs["audience"] = given["audience"]
    try:
        claims = jwt.decode(
            given["token"],
            given["key"],
            algorithms=[given["algorithm"]],
            options=options,
            **kwargs,
        )
    except jwt.PyJWTError as error:
        json.dump({"error": type(error).__name__}, sys.stdout)
        return
    json.dump({"header": jwt.get_unverified_header(given["token"]), "claims": claims}, sys.stdout)


main()
