"""The function run as Lambda runs it, against the (local) account the deployment made: the
environment the deployment gave the function, a local Runtime API handing it the events S3
would send, the account's buckets read and written through the function's own S3 client.

The function is the debug build's `imgproc lambda` (make test), or the static `bootstrap` of
the Lambda zip (make rehearse-zip), unzipped into a task folder and started with no
arguments, as Lambda starts it."""
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
import uuid
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from runtime_api import RuntimeAPI  # noqa: E402


def s3_event(bucket, key, size, etag, version):
    """An ObjectCreated:Put record as S3 sends it (the key form-encoded: a space is +)."""
    return json.dumps({"Records": [{
        "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "us-east-1",
        "eventTime": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
        "eventName": "ObjectCreated:Put", "userIdentity": {"principalId": "AWS:EXAMPLE"},
        "requestParameters": {"sourceIPAddress": "203.0.113.7"},
        "responseElements": {"x-amz-request-id": "C3D13FE58DE4C810", "x-amz-id-2": "FMyUVURIY8"},
        "s3": {"s3SchemaVersion": "1.0", "configurationId": "tf-s3-lambda",
               "bucket": {"name": bucket, "ownerIdentity": {"principalId": "EXAMPLE"},
                          "arn": f"arn:aws:s3:::{bucket}"},
               "object": {"key": urllib.parse.quote_plus(key, safe="/"), "size": size,
                          "eTag": etag, "versionId": version,
                          "sequencer": "0055AED6DCD90281E5"}}}]}).encode()


def batch_event(bucket, keys):
    """A Batch Operations 2.0 invocation (keys URL-encoded, as Batch Operations sends them)."""
    return json.dumps({
        "invocationSchemaVersion": "2.0", "invocationId": "rehearsal-invocation",
        "job": {"id": "rehearsal-job", "userArguments": {}},
        "tasks": [{"taskId": f"t{index}", "s3Key": urllib.parse.quote(key, safe="/"),
                   "s3VersionId": None, "s3Bucket": bucket} for index, key in enumerate(keys)]}).encode()


class Function:
    """The function serving a local Runtime API; its standard output is kept."""

    def __init__(self, program, folder, environment):
        if program.endswith(".zip"):
            task = os.path.join(folder, "task")
            shutil.rmtree(task, ignore_errors=True)
            with zipfile.ZipFile(program) as archive:
                for member in archive.infolist():
                    path = archive.extract(member, task)
                    mode = member.external_attr >> 16
                    if mode:
                        os.chmod(path, mode & 0o777)
            command = [os.path.join(task, "bootstrap")]
        else:
            task = folder
            command = [program, "lambda"]
        self.api = RuntimeAPI(deadline_seconds=60)
        self.log_path = os.path.join(folder, "function.log")
        variables = dict(environment, AWS_LAMBDA_RUNTIME_API=self.api.address, LAMBDA_TASK_ROOT=task,
                         _HANDLER="bootstrap", PATH="/usr/bin:/bin", TZ=":UTC")
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(command, cwd=task, env=variables, stdout=log,
                                            stderr=subprocess.STDOUT)

    def invoke(self, body, timeout=120):
        """(kind, error type, JSON body) of the answer to `body`."""
        request_id = str(uuid.uuid4())
        self.api.invoke(request_id, body)
        answer = self.api.answer(request_id, timeout=timeout)
        if answer is None:
            return None, None, None
        _, kind, error_type, payload = answer
        return kind, error_type, json.loads(payload or b"null")

    def log(self):
        with open(self.log_path, "rb") as log:
            return log.read().decode(errors="replace")

    def stop(self):
        self.process.terminate()
        try:
            status = self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            status = self.process.wait()
        self.api.shutdown()
        return status


def phone_uploads(photo, folder):
    """(label, path) of `photo` as phones and browsers upload it: a HEIC and an AVIF made by
    the reference encoders (heif-enc from libheif-examples, avifenc from libavif-bin: make
    deps installs them)."""
    heic = os.path.join(folder, "phone.heic")
    subprocess.run(["heif-enc", "-q", "60", photo, "-o", heic], check=True, capture_output=True)
    avif = os.path.join(folder, "phone.avif")
    subprocess.run(["avifenc", "-s", "8", photo, avif], check=True, capture_output=True)
    return [("heic", heic), ("avif", avif)]


def rehearse(program, folder, moto, report, outputs, photo):
    """Uploads `photo`, hands the function the event S3 sends, and finds the five variants;
    an undecodable upload is recorded under the failures folder; a Batch Operations task for
    an object that is not there is a PermanentFailure."""
    aws = moto.client("lambda")
    configuration = aws.get_function_configuration(FunctionName=outputs["function_name"])
    environment = dict(configuration.get("Environment", {}).get("Variables", {}),
                       AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
                       AWS_SESSION_TOKEN="testing", AWS_REGION="us-east-1",
                       AWS_ENDPOINT_URL_S3=moto.endpoint, AWS_EC2_METADATA_DISABLED="true",
                       AWS_LAMBDA_FUNCTION_NAME=outputs["function_name"],
                       AWS_LAMBDA_FUNCTION_MEMORY_SIZE=str(configuration["MemorySize"]))
    s3 = moto.client("s3")
    upload, processed = outputs["upload_bucket"], outputs["processed_bucket"]
    # (moto mistakes a + in a key for a space when deleting it, which leaves the bucket to
    # destroy.sh's retries: the Swift tests check + against the real S3 server.)
    key = "photos/my rocket 1.jpg"
    with open(photo, "rb") as handle:
        body = handle.read()
    put = s3.put_object(Bucket=upload, Key=key, Body=body, ContentType="image/jpeg")
    function = Function(program, folder, environment)
    try:
        kind, error_type, answer = function.invoke(
            s3_event(upload, key, len(body), put["ETag"].strip('"'), put.get("VersionId")))
        report.check("the function converts the upload S3 announces (a key with spaces)",
                     kind == "response" and answer == {"converted": 1, "failed": 0, "skipped": 0, "upToDate": 0},
                     f"{kind} {error_type} {answer}\n{function.log()[-2000:]}")
        listed = s3.list_objects_v2(Bucket=processed, Prefix="photos/my rocket 1_").get("Contents", [])
        variants = sorted(item["Key"].split("_")[1] for item in listed)
        report.check("the five variants are in the processed bucket",
                     variants == ["compressed", "low", "png", "thumbnail", "webp"], variants)
        if listed:
            head = s3.head_object(Bucket=processed, Key=listed[0]["Key"])
            report.check("each output names its source in its metadata",
                         head["Metadata"].get("source-key") == key, head["Metadata"])
        for label, made in phone_uploads(photo, folder):
            upload_key = f"photos/phone {label}.{label}"
            with open(made, "rb") as handle:
                body = handle.read()
            put = s3.put_object(Bucket=upload, Key=upload_key, Body=body, ContentType=f"image/{label}")
            kind, error_type, answer = function.invoke(
                s3_event(upload, upload_key, len(body), put["ETag"].strip('"'), put.get("VersionId")))
            listed = s3.list_objects_v2(Bucket=processed, Prefix=f"photos/phone {label}_").get("Contents", [])
            variants = sorted(item["Key"].split("_")[1] for item in listed)
            report.check(f"a phone's {label.upper()} upload is converted: the five variants",
                         kind == "response" and (answer or {}).get("converted") == 1
                         and variants == ["compressed", "low", "png", "thumbnail", "webp"],
                         f"{kind} {error_type} {answer} {variants}\n{function.log()[-1500:]}")
        broken = "photos/broken.jpg"
        put = s3.put_object(Bucket=upload, Key=broken, Body=b"not an image", ContentType="image/jpeg")
        kind, error_type, answer = function.invoke(
            s3_event(upload, broken, 12, put["ETag"].strip('"'), put.get("VersionId")))
        report.check("an undecodable upload is handled, not retried (\"failed\": 1)",
                     kind == "response" and (answer or {}).get("failed") == 1, f"{kind} {error_type} {answer}")
        record_key = f".imgproc/failures/{upload}/{broken}.json"
        try:
            record = json.loads(s3.get_object(Bucket=processed, Key=record_key)["Body"].read())
        except Exception as error:  # no record
            record = {"error": str(error)}
        report.check(f"... and recorded under {record_key.split(upload)[0]}",
                     record.get("key") == broken and record.get("errorType") == "Runtime.ImageDecodeError",
                     record)
        lines = [json.loads(line) for line in function.log().splitlines() if line.startswith("{")]
        metric = [line for line in lines if "_aws" in line and line.get("PermanentFailures") == 1]
        report.check("... and counted in an Embedded Metric Format line (PermanentFailures, by ErrorType)",
                     bool(metric) and metric[0].get("ErrorType") == "Runtime.ImageDecodeError"
                     and metric[0]["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "imgproc", metric)
        kind, error_type, answer = function.invoke(batch_event(upload, ["photos/deleted.jpg"]))
        results = (answer or {}).get("results", [])
        report.check("a Batch Operations task for an object that is not there: PermanentFailure",
                     kind == "response" and [r.get("resultCode") for r in results] == ["PermanentFailure"],
                     f"{kind} {error_type} {answer}")
    finally:
        status = function.stop()
    report.check("the function stops cleanly on SIGTERM", status == 0, f"{status}\n{function.log()[-1500:]}")
    # moto cannot empty a bucket holding a key with a % (imgproc's manifests have some) in
    # DeleteObjects, which terraform destroy uses: such keys are removed here, one version at
    # a time.
    for bucket in (upload, processed):
        for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
            for version in page.get("Versions", []) + page.get("DeleteMarkers", []):
                if "%" in version["Key"]:
                    s3.delete_object(Bucket=bucket, Key=version["Key"], VersionId=version["VersionId"])
