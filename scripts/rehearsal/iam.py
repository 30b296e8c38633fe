"""What the function's role must allow, read from the S3 client's code, and a small IAM policy
evaluator to tell whether a policy allows it.

`Sources/ImgprocS3/S3Operation.swift` lists every request the client makes, one line each:
`case .getObject: ("s3:GetObject", .read)`. The function reads its sources (`.read`) in the
upload bucket and reads and writes (`.read`, `.write`) in the processed bucket; it never
creates buckets (`.administer`)."""
import fnmatch
import json
import re

OPERATION = re.compile(r'case \.(\w+): \("(s3:\w+)", \.(read|write|administer)\)')


def s3_operations(swift_file):
    """[(operation, action, access)] from the Swift source; fails if none is found."""
    with open(swift_file) as handle:
        found = OPERATION.findall(handle.read())
    if not found:
        raise SystemExit(f"rehearsal: no operation found in {swift_file}: has its form changed?")
    return found


def required(operations, upload_bucket, processed_bucket, partition="aws"):
    """(operation, action, resource ARN) the function's role must allow."""
    needs = []
    for name, action, access in operations:
        buckets = {"read": [upload_bucket, processed_bucket], "write": [processed_bucket]}
        for bucket in buckets.get(access, []):
            arn = f"arn:{partition}:s3:::{bucket}"
            needs.append((name, action, arn if action == "s3:ListBucket" else f"{arn}/photos/a.jpg"))
    return needs


def _matches(patterns, value, case_sensitive=True):
    patterns = [patterns] if isinstance(patterns, str) else patterns
    if not case_sensitive:
        return any(fnmatch.fnmatchcase(value.lower(), p.lower()) for p in patterns)
    return any(fnmatch.fnmatchcase(value, p) for p in patterns)


def allows(policy, action, resource):
    """Whether `policy` (a document, or its JSON) allows `action` on `resource`: an Allow
    statement matches both (wildcards included) and no Deny does. Conditions are not evaluated
    (the rehearsal's roles carry none on these actions)."""
    if isinstance(policy, str):
        policy = json.loads(policy)
    statements = policy.get("Statement", [])
    statements = [statements] if isinstance(statements, dict) else statements
    allowed = False
    for statement in statements:
        if "Action" not in statement or "Resource" not in statement:
            continue
        hit = _matches(statement["Action"], action, case_sensitive=False) and _matches(
            statement["Resource"], resource)
        if hit and statement.get("Effect") == "Deny":
            return False
        allowed = allowed or (hit and statement.get("Effect") == "Allow")
    return allowed
