"""Checks, through boto3, of what an apply made in the (local) account: the buckets, the
trigger, the function's environment, and its role."""
import json

import iam
from moto_server import denies_without_tls


def buckets(aws, report, outputs, retention_days=30):
    s3 = aws.client("s3")
    for role in ("upload_bucket", "processed_bucket"):
        bucket = outputs[role]
        versioning = s3.get_bucket_versioning(Bucket=bucket).get("Status")
        report.check(f"{role}: versioning enabled", versioning == "Enabled", versioning)
        rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
        algorithm = rules[0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"]
        report.check(f"{role}: encrypted (AES256)", algorithm == "AES256", algorithm)
        block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
        report.check(f"{role}: all four public access blocks", all(block.values()) and len(block) == 4, block)
        policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
        report.check(f"{role}: a policy refusing requests without TLS", denies_without_tls(
            json.dumps(policy), "s3:GetObject", f"arn:aws:s3:::{bucket}/a.jpg"), policy)
        ownership = s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"][0]
        report.check(f"{role}: BucketOwnerEnforced (no ACLs)",
                     ownership["ObjectOwnership"] == "BucketOwnerEnforced", ownership)
        lifecycle(s3, report, role, bucket, retention_days)


def lifecycle(s3, report, role, bucket, retention_days):
    """One enabled rule over the whole bucket: old versions expire after `retention_days`,
    expired delete markers are removed, unfinished multipart uploads aborted after a day;
    current objects never expire."""
    try:
        rules = s3.get_bucket_lifecycle_configuration(Bucket=bucket).get("Rules", [])
    except s3.exceptions.ClientError:
        rules = []  # NoSuchLifecycleConfiguration
    rule = rules[0] if len(rules) == 1 else {}
    whole_bucket = rule.get("Filter", {}).get("Prefix", "") == "" and not rule.get("Prefix")
    expiration = rule.get("Expiration", {})
    report.check(f"{role}: lifecycle: old versions expire after {retention_days} days",
                 rule.get("Status") == "Enabled" and whole_bucket
                 and rule.get("NoncurrentVersionExpiration", {}).get("NoncurrentDays") == retention_days,
                 rules)
    report.check(f"{role}: lifecycle: expired delete markers removed, current objects kept",
                 expiration.get("ExpiredObjectDeleteMarker") is True
                 and "Days" not in expiration and "Date" not in expiration, rules)
    report.check(f"{role}: lifecycle: unfinished multipart uploads aborted after 1 day",
                 rule.get("AbortIncompleteMultipartUpload", {}).get("DaysAfterInitiation") == 1, rules)


def trigger(aws, report, outputs):
    notification = aws.client("s3").get_bucket_notification_configuration(Bucket=outputs["upload_bucket"])
    functions = notification.get("LambdaFunctionConfigurations", [])
    report.check("direct: uploads invoke the function (s3:ObjectCreated:*)",
                 [(f["LambdaFunctionArn"], f["Events"]) for f in functions]
                 == [(outputs["function_arn"], ["s3:ObjectCreated:*"])], notification)
    policy = json.loads(aws.client("lambda").get_policy(FunctionName=outputs["function_name"])["Policy"])
    sources = [s["Condition"]["ArnLike"]["AWS:SourceArn"] for s in policy["Statement"]
               if s["Principal"].get("Service") == "s3.amazonaws.com"]
    report.check("direct: S3 may invoke the function for the upload bucket only",
                 sources == [f"arn:aws:s3:::{outputs['upload_bucket']}"], policy)


def function(aws, report, outputs, expected_environment):
    lam = aws.client("lambda")
    configuration = lam.get_function_configuration(FunctionName=outputs["function_name"])
    report.check("function: provided.al2023 runtime, bootstrap handler",
                 (configuration["Runtime"], configuration["Handler"]) == ("provided.al2023", "bootstrap"),
                 configuration)
    report.check("function: active tracing", configuration.get("TracingConfig", {}).get("Mode") == "Active",
                 configuration.get("TracingConfig"))
    environment = configuration["Environment"]["Variables"]
    for name, value in expected_environment.items():
        report.check(f"function: environment {name}={value}", environment.get(name) == value,
                     environment.get(name))
    concurrency = lam.get_function_concurrency(FunctionName=outputs["function_name"])
    report.check("function: no reserved concurrency", "ReservedConcurrentExecutions" not in concurrency,
                 concurrency)
    return configuration


def role(aws, report, outputs, configuration, swift_operations):
    """The function's role allows exactly the S3 requests the client makes (no more, no less,
    never CreateBucket), and the X-Ray writes tracing needs."""
    client = aws.client("iam")
    name = configuration["Role"].rsplit("/", 1)[1]
    policies = [client.get_role_policy(RoleName=name, PolicyName=p)["PolicyDocument"]
                for p in client.list_role_policies(RoleName=name)["PolicyNames"]]
    attached = client.list_attached_role_policies(RoleName=name)["AttachedPolicies"]
    report.check("role: no managed policy attached (all of it is in the inline policy)", not attached, attached)
    statements = [s for p in policies for s in (p["Statement"] if isinstance(p["Statement"], list)
                                                else [p["Statement"]])]
    document = {"Statement": statements}
    operations = iam.s3_operations(swift_operations)
    for operation, action, resource in iam.required(operations, outputs["upload_bucket"],
                                                     outputs["processed_bucket"]):
        report.check(f"role: {operation} ({action}) on {resource.split(':::')[1]}",
                     iam.allows(document, action, resource), "not allowed")
    granted = {action for s in statements if s.get("Effect") == "Allow"
               for action in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
               if action.startswith("s3:")}
    needed = {action for _, action, access in operations if access in ("read", "write")}
    report.check("role: exactly the S3 actions the client's requests need",
                 granted == needed, f"granted {sorted(granted)}, needed {sorted(needed)}")
    report.check("role: never s3:CreateBucket", not iam.allows(
        document, "s3:CreateBucket", f"arn:aws:s3:::{outputs['processed_bucket']}"), document)
    for action in ("xray:PutTraceSegments", "xray:PutTelemetryRecords"):
        report.check(f"role: {action}", iam.allows(document, action, "*"), "not allowed")


def parliament_findings(aws, report, role_names):
    """parliament (Duo Labs' IAM linter) finds nothing in the inline policies of `role_names`."""
    import parliament
    client = aws.client("iam")
    for name in role_names:
        for policy_name in client.list_role_policies(RoleName=name)["PolicyNames"]:
            document = client.get_role_policy(RoleName=name, PolicyName=policy_name)["PolicyDocument"]
            findings = parliament.analyze_policy_string(json.dumps(document)).findings
            report.check(f"parliament: nothing to say of {name}/{policy_name}", not findings,
                         [f"{f.issue} {f.detail} {f.location}" for f in findings])


def failure_destination(aws, report, outputs, configuration, retries=2, age=21600):
    """S3 notifications that fail every retry go to the failure queue: an encrypted queue the
    function's role may send to."""
    sqs = aws.client("sqs")
    queue_url = outputs.get("failure_queue_url", "")
    try:
        attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["All"])["Attributes"]
    except Exception as error:  # no such queue
        attributes = {"error": str(error)}
    queue_arn = attributes.get("QueueArn", "")
    report.check("failures: an encrypted queue, messages kept 14 days",
                 attributes.get("SqsManagedSseEnabled") == "true"
                 and attributes.get("MessageRetentionPeriod") == "1209600", attributes)
    try:
        invoke = aws.client("lambda").get_function_event_invoke_config(
            FunctionName=outputs["function_name"])
    except Exception as error:  # no event invoke config
        invoke = {"error": str(error)}
    destination = invoke.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination")
    report.check("failures: the failure queue is the on-failure destination of asynchronous invocations",
                 bool(queue_arn) and destination == queue_arn, invoke)
    report.check(f"failures: {retries} retries, events kept {age} s",
                 (invoke.get("MaximumRetryAttempts"), invoke.get("MaximumEventAgeInSeconds")) == (retries, age),
                 invoke)
    client = aws.client("iam")
    name = configuration["Role"].rsplit("/", 1)[1]
    statements = [s for p in client.list_role_policies(RoleName=name)["PolicyNames"]
                  for s in client.get_role_policy(RoleName=name, PolicyName=p)["PolicyDocument"]["Statement"]]
    report.check("failures: the function's role may send to the failure queue",
                 bool(queue_arn) and iam.allows({"Statement": statements}, "sqs:SendMessage", queue_arn),
                 statements)


# The alarms and what each watches: (namespace, metric, statistic, threshold; None: the
# function's timeout-derived one).
ALARMS = {
    "errors": ("AWS/Lambda", "Errors", "Sum", 1),
    "throttles": ("AWS/Lambda", "Throttles", "Sum", 1),
    "duration": ("AWS/Lambda", "Duration", "Maximum", None),
    "events-dropped": ("AWS/Lambda", "AsyncEventsDropped", "Sum", 1),
    "destination-failures": ("AWS/Lambda", "DestinationDeliveryFailures", "Sum", 1),
    "permanent-failures": ("imgproc", "PermanentFailures", "Sum", 1),
    "failure-queue": ("AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum", 1),
}


def alarms(aws, report, outputs, timeout_seconds, email):
    """Every alarm, on its metric, notifies the alarm topic; the topic is encrypted with a key
    whose policy lets CloudWatch use it, and CloudWatch may publish to it; `email` is
    subscribed."""
    topic = outputs.get("alarm_topic_arn", "")
    found = {a["AlarmName"]: a for a in aws.client("cloudwatch").describe_alarms()["MetricAlarms"]}
    prefix = outputs["function_name"].rsplit("-processor", 1)[0] + "-"
    for name, (namespace, metric, statistic, threshold) in ALARMS.items():
        alarm = found.get(prefix + name, {})
        expected = threshold if threshold is not None else timeout_seconds * 1000 * 0.8
        report.check(f"alarm {name}: {namespace} {metric} ({statistic}) >= {expected:g} notifies the topic",
                     (alarm.get("Namespace"), alarm.get("MetricName"), alarm.get("Statistic"),
                      alarm.get("Threshold")) == (namespace, metric, statistic, expected)
                     and bool(topic) and alarm.get("AlarmActions") == [topic]
                     and alarm.get("OKActions") == [topic], alarm or sorted(found))
    sns = aws.client("sns")
    try:
        attributes = sns.get_topic_attributes(TopicArn=topic)["Attributes"]
    except Exception as error:  # no topic
        attributes = {"error": str(error)}
    key_id = attributes.get("KmsMasterKeyId", "")
    kms = aws.client("kms")
    try:
        key = kms.describe_key(KeyId=key_id)["KeyMetadata"]
        key_policy = json.loads(kms.get_key_policy(KeyId=key_id, PolicyName="default")["Policy"])
    except Exception as error:  # no key
        key, key_policy = {"error": str(error)}, {"Statement": []}
    report.check("alarm topic: encrypted with a customer-managed key that rotates",
                 key.get("KeyManager") == "CUSTOMER" and key.get("KeyState") == "Enabled"
                 and kms.get_key_rotation_status(KeyId=key["KeyId"])["KeyRotationEnabled"]
                 if "KeyId" in key else False, key)
    cloudwatch = [st for st in key_policy["Statement"]
                  if st.get("Principal", {}).get("Service") == "cloudwatch.amazonaws.com"]
    report.check("alarm topic: the key's policy lets CloudWatch make data keys",
                 any("kms:GenerateDataKey*" in (st["Action"] if isinstance(st["Action"], list) else [st["Action"]])
                     for st in cloudwatch), key_policy)
    policy = json.loads(attributes.get("Policy", '{"Statement": []}'))
    report.check("alarm topic: CloudWatch may publish to it",
                 any(st.get("Principal", {}).get("Service") == "cloudwatch.amazonaws.com"
                     and "sns:Publish" in (st["Action"] if isinstance(st["Action"], list) else [st["Action"]])
                     for st in policy["Statement"]), policy)
    subscriptions = sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"] if topic else []
    report.check(f"alarm topic: {email} subscribed by e-mail",
                 [(s["Protocol"], s["Endpoint"]) for s in subscriptions] == [("email", email)], subscriptions)
