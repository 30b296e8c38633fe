#!/usr/bin/env python3
"""The deploy rehearsal: Resources/aws used as a new user would, against a local moto server
standing in for a fresh AWS account (scripts/rehearse-deploy.sh prepares the tools).

1. On a copy of Resources/aws (nothing is left in the real one): `terraform init` with only
   the AWS provider of a local plugin folder, `validate`, then `plan` for both trigger modes,
   checked for the account-level traps moto does not model (plan_checks.py).

usage: run.py --plugins DIR [--keep]"""
import argparse
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
        return boto3.client(name, endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id="test", aws_secret_access_key="test")

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
        self.environment = dict(
            os.environ, TF_CLI_CONFIG_FILE="/dev/null", TF_IN_AUTOMATION="1",
            TF_PLUGIN_CACHE_DIR="", AWS_ENDPOINT_URL=moto.endpoint, AWS_ACCESS_KEY_ID="test",
            AWS_SECRET_ACCESS_KEY="test", AWS_REGION="us-east-1", AWS_DEFAULT_REGION="us-east-1",
            PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"])
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "TF_PLUGIN_CACHE_DIR"):
            self.environment.pop(name, None)

    def run(self, command, cwd=None, stdin=None):
        """(exit status, output) of `command` in the deployment's environment."""
        result = subprocess.run(command, cwd=cwd or self.terraform, env=self.environment, input=stdin,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--plugins", required=True)
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
