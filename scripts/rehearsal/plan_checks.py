"""Checks on `terraform show -json` of a plan: the account-level traps a local server does not
model. Lambda refuses to create a function with active tracing whose role cannot write X-Ray
segments, and refuses a reserved concurrency that leaves the account fewer than its minimum
unreserved (a new account has 10 in all), so neither may be planned by default."""

XRAY_ACTIONS = {"xray:PutTraceSegments", "xray:PutTelemetryRecords"}


def _resources(plan, kind):
    return [change for change in plan["resource_changes"] if change["type"] == kind]


def _configuration(plan, address):
    """The configuration block of `address` (root module), for its references."""
    for resource in plan["configuration"]["root_module"].get("resources", []):
        if resource["address"] == address:
            return resource
    return {}


def _referenced(configuration, attribute, prefix):
    """The addresses of kind `prefix` that `attribute`'s expression refers to."""
    references = configuration.get("expressions", {}).get(attribute, {}).get("references", [])
    parts = 3 if prefix.startswith("data.") else 2
    return {".".join(reference.split(".")[:parts]) for reference in references if reference.startswith(prefix)}


def role_actions(plan, role):
    """Every action the planned inline policies and policy attachments of `role` name."""
    documents = {change["address"]: change for change in _resources(plan, "aws_iam_policy_document")}
    actions = set()
    for policy in _resources(plan, "aws_iam_role_policy"):
        configuration = _configuration(plan, policy["address"])
        if role not in _referenced(configuration, "role", "aws_iam_role."):
            continue
        for address in _referenced(configuration, "policy", "data.aws_iam_policy_document."):
            after = documents.get(address, {}).get("change", {}).get("after") or {}
            for statement in after.get("statement") or []:
                actions.update(statement.get("actions") or [])
    for attachment in _resources(plan, "aws_iam_role_policy_attachment"):
        configuration = _configuration(plan, attachment["address"])
        arn = (attachment["change"]["after"] or {}).get("policy_arn") or ""
        if role in _referenced(configuration, "role", "aws_iam_role.") and arn.endswith(
                "/AWSXRayDaemonWriteAccess"):
            actions.update(XRAY_ACTIONS)
    return actions


def check(plan, report, mode):
    """Records the plan checks of one trigger mode."""
    functions = _resources(plan, "aws_lambda_function")
    report.check(f"{mode}: the plan creates one function", len(functions) == 1, f"{len(functions)}")
    for function in functions:
        after = function["change"]["after"] or {}
        traced = any(block.get("mode") == "Active" for block in after.get("tracing_config") or [])
        roles = _referenced(_configuration(plan, function["address"]), "role", "aws_iam_role.")
        granted = set().union(*(role_actions(plan, role) for role in roles)) if roles else set()
        report.check(
            f"{mode}: active tracing comes with the X-Ray writes in the function's role",
            not traced or XRAY_ACTIONS <= granted,
            f"tracing {'Active' if traced else 'off'}, the role grants {sorted(granted & XRAY_ACTIONS) or 'no X-Ray action'}")
        reserved = after.get("reserved_concurrent_executions")
        report.check(
            f"{mode}: no reserved concurrency by default (a new account has 10 executions, all unreserved)",
            reserved in (None, -1), f"reserved_concurrent_executions = {reserved}")
    triggers = {
        "direct": ("aws_lambda_permission", "aws_s3_bucket_notification"),
        "queue": ("aws_lambda_event_source_mapping", "aws_sqs_queue_policy"),
    }[mode]
    for kind in triggers:
        report.check(f"{mode}: the plan has {kind}", bool(_resources(plan, kind)), "none planned")
