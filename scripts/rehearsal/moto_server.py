"""moto's server, with bucket policies evaluated as S3 evaluates the deployment's.

moto applies a bucket policy's statements to object requests, but its evaluator skips
condition operators it does not know (Bool among them) and treats a statement whose
condition does not hold as a denial: the TLS-only statement ("Deny s3:* when
aws:SecureTransport is false") then denies every request. Here a bucket policy is evaluated
by `evaluate` below, and every request counts as made over TLS, as the function's are in AWS
(S3's endpoint is HTTPS; the rehearsal's loopback stands in for it). `evaluate` is also what
the checks use to see what the policy does to a request without TLS.

usage: moto_server.py [moto_server's options]"""
import fnmatch
import json
import sys

from moto.iam.access_control import PermissionResult
from moto.s3 import models

OPERATORS = {
    "Bool": lambda expected, actual: str(expected).lower() == str(actual).lower(),
    "StringEquals": lambda expected, actual: expected == actual,
    "ArnLike": lambda expected, actual: fnmatch.fnmatchcase(actual, expected),
    "ArnEquals": lambda expected, actual: expected == actual,
}


def _listed(value):
    return value if isinstance(value, list) else [value]


def _condition_holds(condition, context):
    for operator, tests in condition.items():
        if operator not in OPERATORS:
            raise ValueError(f"rehearsal: condition operator {operator} is not evaluated here")
        for key, expected in tests.items():
            if key not in context or not any(OPERATORS[operator](e, context[key]) for e in _listed(expected)):
                return False
    return True


def evaluate(policy, action, resource, context):
    """DENIED, PERMITTED or NEUTRAL: what `policy` (JSON) says of `action` on `resource` for a
    request with the condition keys `context` (an explicit Deny wins)."""
    result = PermissionResult.NEUTRAL
    for statement in _listed(json.loads(policy)["Statement"]):
        if not any(fnmatch.fnmatchcase(action.lower(), a.lower()) for a in _listed(statement["Action"])):
            continue
        if not any(fnmatch.fnmatchcase(resource, r) for r in _listed(statement["Resource"])):
            continue
        if not _condition_holds(statement.get("Condition", {}), context):
            continue
        if statement["Effect"] == "Deny":
            return PermissionResult.DENIED
        result = PermissionResult.PERMITTED
    return result


def _permission(self, action, resource):
    if self.policy is None:
        return PermissionResult.NEUTRAL
    return evaluate(self.policy.decode(), action, resource, {"aws:SecureTransport": "true"})


def denies_without_tls(policy, action, resource):
    """Whether `policy` (JSON) denies `action` on `resource` to a request without TLS."""
    return evaluate(policy, action, resource, {"aws:SecureTransport": "false"}) == PermissionResult.DENIED


if __name__ == "__main__":
    models.FakeBucket.get_permission = _permission
    from moto.server import main
    sys.exit(main())
