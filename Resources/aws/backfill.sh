#!/usr/bin/env bash
# Converts what was uploaded before the trigger existed: writes a manifest of the upload
# bucket's keys (a CSV of bucket,key lines, keys URL-encoded as S3 Batch Operations requires),
# puts it under backfill/ in the processed bucket (never in the upload bucket: it would
# trigger the function), and creates an S3 Batch Operations job that invokes the function
# once per key, with a completion report under backfill/reports/. Reads the deployment's
# names from `terraform output` (run deploy.sh first).
#
# usage: Resources/aws/backfill.sh [--prefix PREFIX] [--dry-run] [--keep-request DIR]
#   --prefix PREFIX        only the keys under PREFIX
#   --dry-run              write and upload nothing; print the manifest's size
#   --keep-request DIR     keep the job's request documents (operation, manifest, report JSON)
# Follow the job with the `aws s3control describe-job` command it prints.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
prefix=""
dry_run=false
keep=""
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="${2:?--prefix needs a value}"; shift 2 ;;
    --dry-run) dry_run=true; shift ;;
    --keep-request) keep="${2:?--keep-request needs a folder}"; shift 2 ;;
    *) echo "backfill.sh: unknown argument '$1' (--prefix PREFIX, --dry-run, --keep-request DIR)" >&2; exit 2 ;;
  esac
done
for tool in aws terraform python3; do
  command -v "$tool" > /dev/null || { echo "backfill.sh: $tool is not installed" >&2; exit 1; }
done
outputs="$(cd "$here/terraform" && terraform output -json)"
output() { python3 -c 'import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]]["value"])' "$outputs" "$1"; }
if [ "$(python3 -c 'import json, sys; print(len(json.loads(sys.argv[1])))' "$outputs")" = 0 ]; then
  echo "backfill.sh: nothing deployed from $here/terraform (run deploy.sh first)" >&2
  exit 1
fi
upload="$(output upload_bucket)"
processed="$(output processed_bucket)"
region="$(output aws_region)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Every key (the CLI follows continuation tokens), as JSON: keys may hold commas, quotes and
# line breaks. Folder placeholders ("photos/") are left out.
aws s3api list-objects-v2 --region "$region" --bucket "$upload" --prefix "$prefix" \
  --query 'Contents[].Key' --output json > "$work/keys.json"
count="$(python3 - "$work/keys.json" "$upload" "$work/manifest.csv" <<'PY'
import json, sys, urllib.parse
keys = json.load(open(sys.argv[1])) or []
with open(sys.argv[3], "w", newline="") as manifest:
    written = 0
    for key in keys:
        if key.endswith("/"):
            continue
        # https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-create-job.html:
        # "Object keys must be URL-encoded" (a space is %20; + and , are escaped too).
        manifest.write(f"{sys.argv[2]},{urllib.parse.quote(key, safe='/')}\n")
        written += 1
print(written)
PY
)"
if [ "$count" = 0 ]; then
  echo "backfill.sh: s3://$upload/$prefix holds no object: nothing to backfill"
  exit 0
fi
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
manifest_key="backfill/manifest-$stamp.csv"
echo "backfill.sh: $count objects in s3://$upload/$prefix"
if $dry_run; then
  echo "backfill.sh: dry run: would put s3://$processed/$manifest_key and create a Batch Operations job invoking $(output function_arn)"
  exit 0
fi
aws s3api put-object --region "$region" --bucket "$processed" --key "$manifest_key" \
  --body "$work/manifest.csv" --content-type text/csv --output json > "$work/put.json"
# The manifest's ETag without its quotes: the job refuses a manifest whose ETag differs.
etag="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["ETag"].strip("\""))' "$work/put.json")"
python3 - "$outputs" "$manifest_key" "$etag" "$work" <<'PY'
import json, sys
outputs = {name: value["value"] for name, value in json.loads(sys.argv[1]).items()}
key, etag, work = sys.argv[2], sys.argv[3], sys.argv[4]
partition = outputs["function_arn"].split(":")[1]
bucket_arn = f"arn:{partition}:s3:::{outputs['processed_bucket']}"
documents = {
    # Schema 2.0: tasks name the bucket and the URL-encoded key; imgproc answers a result per task.
    "operation": {"LambdaInvoke": {"FunctionArn": outputs["function_arn"],
                                   "InvocationSchemaVersion": "2.0"}},
    "manifest": {"Spec": {"Format": "S3BatchOperations_CSV_20180820", "Fields": ["Bucket", "Key"]},
                 "Location": {"ObjectArn": f"{bucket_arn}/{key}", "ETag": etag}},
    "report": {"Bucket": bucket_arn, "Prefix": "backfill/reports", "Format": "Report_CSV_20180820",
               "Enabled": True, "ReportScope": "AllTasks"},
}
for name, document in documents.items():
    with open(f"{work}/{name}.json", "w") as handle:
        json.dump(document, handle)
PY
if [ -n "$keep" ]; then
  mkdir -p "$keep"
  cp "$work/operation.json" "$work/manifest.json" "$work/report.json" "$keep/"
fi
job="$(aws s3control create-job --region "$region" --account-id "$(output account_id)" \
  --no-confirmation-required --priority 10 --role-arn "$(output backfill_role_arn)" \
  --client-request-token "imgproc-backfill-$stamp" \
  --operation "file://$work/operation.json" --manifest "file://$work/manifest.json" \
  --report "file://$work/report.json" --query JobId --output text)"
echo "backfill.sh: job $job: $count objects (manifest s3://$processed/$manifest_key)"
echo "  follow it:  aws s3control describe-job --region $region --account-id $(output account_id) --job-id $job"
echo "  its report: aws s3 ls --recursive s3://$processed/backfill/reports/job-$job/"
