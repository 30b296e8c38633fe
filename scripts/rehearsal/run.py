#!/usr/bin/env python3
"""The deploy rehearsal: Resources/aws used as a new user would, against a local moto server
standing in for a fresh AWS account (scripts/rehearse-deploy.sh prepares the tools).

1. On a copy of Resources/aws (nothing is left in the real one): `terraform init` with only
   the AWS provider of a local plugin folder, `validate`, then `plan` for both trigger modes,
   checked for the account-level traps moto does not model (plan_checks.py); a bad value of
   each validated variable stops the plan.
2. `deploy.sh --zip ZIP --yes` applies the direct trigger; what it made is checked through
   boto3 (account_checks.py): the buckets, the trigger, the function's environment, and a
   role that allows exactly the S3 requests the client makes (iam.py).
   parliament finds nothing in the roles' policies.
3. `backfill.sh` on an empty bucket, then on keys with spaces and commas.
4. The function itself (`--function`: the debug build's imgproc, or the Lambda zip) run as
   Lambda runs it, with the environment the deployment gave it, against the account's
   buckets: an upload and the event S3 sends give the five variants (a JPEG, and a HEIC and an
   AVIF made from it by heif-enc and avifenc); a Batch Operations task
   for an object that is not there is a PermanentFailure (lambda_run.py).
5. `destroy.sh --yes`, with versioned objects in both buckets and no zip anywhere, leaves
   nothing behind.

usage: run.py --plugins DIR [--function IMGPROC|ZIP] [--keep]"""
import argparse
import concurrent.futures
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile

import account_checks
import lambda_run
import plan_checks
from report import Report

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "../.."))

# What the provider override sends to moto.
SERVICES = ["s3", "s3control", "iam", "sts", "lambda", "logs", "cloudwatch", "sqs", "sns", "events",
            "kms"]


class Moto:
    """moto's server on a free loopback port, for the length of the rehearsal."""

    def __init__(self, folder):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.log = open(os.path.join(folder, "moto.log"), "wb")
        self.process = subprocess.Popen(
            [sys.executable, os.path.join(here, "moto_server.py"), "-H", "127.0.0.1", "-p",
             str(self.port)], stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(300):
            try:
                urllib.request.urlopen(self.endpoint + "/moto-api/", timeout=1)
                return
            except OSError:
                time.sleep(0.1)
        raise SystemExit("rehearsal: moto_server did not start")

    def client(self, name):
        import boto3
        from botocore.config import Config
        return boto3.client(name, endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id="test", aws_secret_access_key="test",
                            config=Config(inject_host_prefix=False))

    def stop(self):
        self.process.terminate()
        self.process.wait()


class Deployment:
    """The copy of Resources/aws the rehearsal deploys from, and the commands it runs there."""

    def __init__(self, folder, plugins, moto):
        self.folder = folder
        self.aws = os.path.join(folder, "Resources", "aws")
        shutil.copytree(os.path.join(root, "Resources", "aws"), self.aws, ignore=shutil.ignore_patterns(
            ".terraform", "*.tfstate*", "terraform.tfvars", "*.tfplan"))
        self.terraform = os.path.join(self.aws, "terraform")
        self.plugins = plugins
        with open(os.path.join(self.terraform, "rehearsal_override.tf"), "w") as handle:
            handle.write('provider "aws" {\n  access_key = "test"\n  secret_key = "test"\n'
                         '  skip_credentials_validation = true\n  skip_metadata_api_check = true\n'
                         '  endpoints {\n'
                         + "".join(f'    {s} = "{moto.endpoint}"\n' for s in SERVICES) + "  }\n}\n")
        # A stand-in package: moto keeps the zip, it never runs it.
        self.zip = os.path.join(folder, "imgproc-lambda-x86_64.zip")
        with zipfile.ZipFile(self.zip, "w") as package:
            package.writestr("bootstrap", "#!/bin/sh\nexit 1\n")
        # Providers from the local plugin folder only, for every `terraform init` (deploy.sh's too).
        config = os.path.join(folder, "terraform.rc")
        with open(config, "w") as handle:
            handle.write('provider_installation {\n  filesystem_mirror {\n'
                         f'    path    = "{plugins}"\n    include = ["registry.terraform.io/hashicorp/aws"]\n'
                         '  }\n}\n')
        self.environment = dict(
            os.environ, TF_CLI_CONFIG_FILE=config, TF_IN_AUTOMATION="1",
            TF_PLUGIN_CACHE_DIR="", AWS_ENDPOINT_URL=moto.endpoint,
            # S3 Control puts the account id in the host name: not on a loopback address.
            AWS_DISABLE_HOST_PREFIX_INJECTION="true", AWS_ACCESS_KEY_ID="test",
            AWS_SECRET_ACCESS_KEY="test", AWS_REGION="us-east-1", AWS_DEFAULT_REGION="us-east-1",
            PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"])
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "TF_PLUGIN_CACHE_DIR"):
            self.environment.pop(name, None)

    def outputs(self):
        status, text = self.run(["terraform", "output", "-json"])
        return {name: value["value"] for name, value in json.loads(text).items()} if status == 0 else {}

    def run(self, command, cwd=None, stdin=None):
        """(exit status, output) of `command` in the deployment's environment."""
        try:
            result = subprocess.run(command, cwd=cwd or self.terraform, env=self.environment, input=stdin,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                    timeout=300)
        except subprocess.TimeoutExpired as timeout:
            output = timeout.output.decode() if isinstance(timeout.output, bytes) else timeout.output
            return 124, f"{' '.join(command)}: no end after 300 s\n{(output or '')[-2000:]}"
        return result.returncode, result.stdout


def static_checks(deployment, report):
    report.section("terraform init (offline) and validate")
    status, text = deployment.run(
        ["terraform", "init", "-input=false", "-no-color", "-backend=false", f"-plugin-dir={deployment.plugins}"])
    report.check("terraform init with only the installed AWS provider", status == 0, text[-1500:])
    if status != 0:
        return False
    status, text = deployment.run(["terraform", "validate", "-no-color"])
    report.check("terraform validate", status == 0, text[-1500:])
    return status == 0


def plans(deployment, report):
    for mode, queued in (("direct", "false"), ("queue", "true")):
        report.section(f"plan, {mode} trigger")
        plan_file = os.path.join(deployment.folder, f"{mode}.tfplan")
        status, text = deployment.run(
            ["terraform", "plan", "-input=false", "-no-color", "-lock=false", f"-out={plan_file}",
             f"-var=lambda_zip={deployment.zip}", f"-var=use_queue={queued}"])
        if not report.check(f"{mode}: terraform plan", status == 0, text[-1500:]):
            continue
        status, text = deployment.run(["terraform", "show", "-json", plan_file])
        plan_checks.check(json.loads(text), report, mode)


# A bad value of each validated variable, and what its message must say.
BAD_VALUES = [
    ("log_level", "verbose", "log_level"), ("project_name", "My_Project", "project_name"),
    ("environment", "Prod", "environment"), ("memory_size", "64", "memory_size"),
    ("timeout", "901", "timeout"), ("log_retention_days", "10", "log_retention_days"),
    ("reserved_concurrency", "0", "reserved_concurrency"), ("aws_region", "Mars", "aws_region"),
    ("recipe", "fancy", "recipe"), ("processed_prefix", "/web", "processed_prefix"),
    ("architecture", "sparc", "architecture"),
    ("noncurrent_version_retention_days", "0", "noncurrent_version_retention_days"),
    ("max_retry_attempts", "3", "max_retry_attempts"),
    ("max_event_age_seconds", "30", "max_event_age_seconds"),
    ("alarm_email", "ops", "alarm_email"),
]


def validations(deployment, report):
    report.section("every variable refuses a bad value at plan time")

    def plan(setting):
        return deployment.run(
            ["terraform", "plan", "-input=false", "-no-color", "-lock=false", "-refresh=false",
             f"-var=lambda_zip={deployment.zip}", f"-var={setting}"])

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        results = list(pool.map(plan, [f"{name}={value}" for name, value, _ in BAD_VALUES]))
    for (name, value, said), (status, text) in zip(BAD_VALUES, results):
        report.check(f"{name}={value} is refused", status != 0 and "Invalid value for variable" in text
                     and said in text, text[-600:])
    status, text = deployment.run(
        ["terraform", "plan", "-input=false", "-no-color", "-lock=false", "-refresh=false",
         f"-var=lambda_zip={deployment.zip}", "-var=log_level=notice"])
    report.check("log_level=notice (a swift-log level) is accepted", status == 0, text[-600:])


def deploy(deployment, moto, report):
    report.section("deploy.sh --zip ZIP --yes (direct trigger), then what it made")
    status, text = deployment.run([os.path.join(deployment.aws, "deploy.sh"), "--zip", deployment.zip,
                                   "--yes", "x86_64", "-var", "log_level=notice",
                                   "-var", "alarm_email=ops@example.com"])
    report.check("deploy.sh applies on a fresh account", status == 0, text[-3000:])
    report.check("deploy.sh shows the account and region first",
                 "account 123456789012, region us-east-1" in text, text[:1500])
    if status != 0:
        return None
    outputs = deployment.outputs()
    account_checks.buckets(moto, report, outputs)
    account_checks.trigger(moto, report, outputs)
    configuration = account_checks.function(moto, report, outputs, {
        "PROCESSED_BUCKET": outputs["processed_bucket"], "UPLOAD_BUCKET": outputs["upload_bucket"],
        "PROCESSED_PREFIX": "", "RECIPE": "default", "LOG_LEVEL": "notice"})
    account_checks.role(moto, report, outputs, configuration,
                        os.path.join(root, "Sources", "ImgprocS3", "S3Operation.swift"))
    account_checks.failure_destination(moto, report, outputs, configuration)
    account_checks.alarms(moto, report, outputs, configuration["Timeout"], "ops@example.com")
    account_checks.parliament_findings(moto, report, [
        configuration["Role"].rsplit("/", 1)[1], outputs["backfill_role_arn"].rsplit("/", 1)[1]])
    with open(os.path.join(deployment.terraform, "terraform.tfvars")) as handle:
        kept = handle.read()
    report.check("deploy.sh keeps its settings in terraform.tfvars",
                 'log_level = "notice"' in kept and "lambda_zip" in kept, kept)
    return outputs


def function_run(deployment, moto, report, outputs, program):
    if not program:
        report.section("the function: not run (no --function)")
        return
    report.section(f"the function, run as Lambda runs it: {os.path.relpath(program, root)}")
    lambda_run.rehearse(os.path.abspath(program), deployment.folder, moto, report, outputs,
                        os.path.join(root, "Resources", "samples", "rocket.jpg"))
    # docs/aws.md's walkthrough commands, as written there (the AWS CLI sends SQS requests to
    # AWS's own host whatever AWS_ENDPOINT_URL says: moto's is given).
    terraform = "terraform -chdir=Resources/aws/terraform output -raw"
    samples = os.path.join(deployment.folder, "Resources", "samples")
    os.makedirs(samples, exist_ok=True)
    shutil.copy(os.path.join(root, "Resources", "samples", "rocket.jpg"), samples)
    for command, expected in [
        (f'aws s3 cp Resources/samples/rocket.jpg "s3://$({terraform} upload_bucket)/photos/"',
         "upload: Resources/samples/rocket.jpg"),
        (f'aws s3 ls --recursive "s3://$({terraform} processed_bucket)/photos/"', "photos/my rocket 1_png_"),
        (f'aws logs filter-log-events --log-group-name "$({terraform} log_group)"', "events"),
        (f'aws logs filter-log-events --log-group-name "$({terraform} log_group)"'
         ' --filter-pattern \'{ $.level = "error" }\'', "events"),
        (f'aws sqs receive-message --queue-url "$({terraform} failure_queue_url)"'
         ' --endpoint-url "$AWS_ENDPOINT_URL"', ""),
        (f'aws s3 ls --recursive "s3://$({terraform} processed_bucket)/.imgproc/failures/"',
         "broken.jpg.json"),
        ("Resources/aws/backfill.sh --dry-run", ""),
    ]:
        status, text = deployment.run(["bash", "-c", command], cwd=deployment.folder)
        report.check(f"docs/aws.md: {command[:70]} answers",
                     status == 0 and expected in text, text[-800:])


def backfill(deployment, moto, report, outputs):
    report.section("backfill.sh")
    script = os.path.join(deployment.aws, "backfill.sh")
    status, text = deployment.run([script])
    report.check("an empty upload bucket: nothing to backfill, no manifest",
                 status == 0 and "nothing to backfill" in text, text[-1500:])
    s3 = moto.client("s3")
    # (moto mistakes a + in a key for a space when deleting it, so none here.)
    keys = ["photos/a b,c.jpg", "plain.jpg", "photos/"]
    for key in keys:
        s3.put_object(Bucket=outputs["upload_bucket"], Key=key, Body=b"x")
    request = os.path.join(deployment.folder, "backfill-request")
    status, text = deployment.run([script, "--keep-request", request])
    listed = s3.list_objects_v2(Bucket=outputs["processed_bucket"], Prefix="backfill/manifest-")
    manifests = [o["Key"] for o in listed.get("Contents", [])]
    lines = []
    if manifests:
        body = s3.get_object(Bucket=outputs["processed_bucket"], Key=manifests[0])["Body"].read()
        lines = body.decode().splitlines()
    bucket = outputs["upload_bucket"]
    report.check("the manifest lists each object once, keys URL-encoded, no folder, no None line",
                 sorted(lines) == sorted([f"{bucket},photos/a%20b%2Cc.jpg", f"{bucket},plain.jpg"]),
                 f"{lines} ({text[-800:]})")
    # The AWS CLI puts the account id in S3 Control's host name, which a loopback address
    # cannot take: the job itself is not created here, its request is checked instead.
    etag = ""
    if os.path.exists(os.path.join(request, "manifest.json")):
        with open(os.path.join(request, "manifest.json")) as handle:
            etag = json.load(handle)["Location"]["ETag"]
    stored = s3.head_object(Bucket=outputs["processed_bucket"], Key=manifests[0])["ETag"] if manifests else ""
    report.check("the job's request is JSON naming the manifest by its ETag, without quotes",
                 bool(etag) and etag == stored.strip('"') and '"' not in etag, f"{etag!r} ({text[-800:]})")


def destroy(deployment, moto, report, outputs):
    report.section("destroy.sh --yes, objects in both buckets, no zip")
    s3 = moto.client("s3")
    for bucket in (outputs["upload_bucket"], outputs["processed_bucket"]):
        for version in (b"one", b"two"):
            s3.put_object(Bucket=bucket, Key="photos/kept.jpg", Body=version)
    os.remove(deployment.zip)
    status, text = deployment.run([os.path.join(deployment.aws, "destroy.sh")], stdin="n\n")
    kept = [b["Name"] for b in s3.list_buckets().get("Buckets", [])]
    report.check("destroy.sh answered no deletes nothing", status == 0 and "nothing deleted" in text
                 and sorted(kept) == sorted([outputs["upload_bucket"], outputs["processed_bucket"]]),
                 f"{kept} {text[-800:]}")
    status, text = deployment.run([os.path.join(deployment.aws, "destroy.sh"), "--yes"])
    report.check("destroy.sh --yes succeeds without the zip", status == 0, text[-3000:])
    left = [b["Name"] for b in s3.list_buckets().get("Buckets", [])]
    report.check("no bucket is left", not left, left)
    functions = moto.client("lambda").list_functions()["Functions"]
    report.check("no function is left", not functions, [f["FunctionName"] for f in functions])
    roles = [r["RoleName"] for r in moto.client("iam").list_roles()["Roles"]]
    report.check("no role is left", not roles, roles)
    logs = moto.client("logs").describe_log_groups()["logGroups"]
    report.check("no log group is left", not logs, [g["logGroupName"] for g in logs])
    queues = moto.client("sqs").list_queues().get("QueueUrls", [])
    report.check("no queue is left", not queues, queues)
    topics = moto.client("sns").list_topics()["Topics"]
    report.check("no topic is left", not topics, topics)
    left_alarms = [a["AlarmName"] for a in moto.client("cloudwatch").describe_alarms()["MetricAlarms"]]
    report.check("no alarm is left", not left_alarms, left_alarms)
    kms = moto.client("kms")
    states = [kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"]["KeyState"] for k in kms.list_keys()["Keys"]]
    report.check("the alarm key is scheduled for deletion (PendingDeletion), no other key is left",
                 states == ["PendingDeletion"], states)
    status, text = deployment.run(["terraform", "state", "list"])
    report.check("the state is empty", text.strip() == "", text[-800:])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--plugins", required=True)
    parser.add_argument("--function", help="imgproc (run as `imgproc lambda`) or the Lambda zip")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    options = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="imgproc-rehearsal-")
    report = Report()
    start = time.monotonic()
    moto = Moto(folder)
    try:
        deployment = Deployment(folder, options.plugins, moto)
        if static_checks(deployment, report):
            plans(deployment, report)
            validations(deployment, report)
            outputs = deploy(deployment, moto, report)
            if outputs:
                backfill(deployment, moto, report, outputs)
                function_run(deployment, moto, report, outputs, options.function)
                destroy(deployment, moto, report, outputs)
    finally:
        moto.stop()
        if options.keep:
            print(f"rehearsal: work folder kept: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"rehearsal: {time.monotonic() - start:.0f} s")
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
