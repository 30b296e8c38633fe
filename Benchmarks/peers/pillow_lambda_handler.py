"""The seed's Lambda function, for Benchmarks/lambda_bench.py: an S3 event → five variants
with Pillow (as Benchmarks peers' pillow_5v.py makes them) → the processed bucket, with boto3.
PROCESSED_BUCKET names the destination, as in the original."""
import io
import os
import sys
import urllib.parse

import boto3
from botocore.config import Config
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pillow_5v import rgb as to_rgb  # noqa: E402  the five-variant peer's flattening

s3 = boto3.client(
    "s3", endpoint_url=os.environ.get("AWS_ENDPOINT_URL_S3"),
    config=Config(s3={"addressing_style": "path"}, signature_version="s3v4"))
PROCESSED = os.environ["PROCESSED_BUCKET"]
MAX = (4096, 4096)
LANCZOS = Image.Resampling.LANCZOS


def put(key, img, fmt, **options):
    buffer = io.BytesIO()
    img.save(buffer, fmt, **options)
    s3.put_object(Bucket=PROCESSED, Key=key, Body=buffer.getvalue(),
                  ContentType="image/" + fmt.lower())


def handler(event, context):
    for record in event["Records"]:
        bucket = record["s3"]["bucket"]["name"]
        key = urllib.parse.unquote_plus(record["s3"]["object"]["key"])
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        img = to_rgb(Image.open(io.BytesIO(body)))
        if img.size[0] > MAX[0] or img.size[1] > MAX[1]:
            img.thumbnail(MAX, LANCZOS)
        stem = os.path.splitext(key)[0]
        put(f"{stem}_compressed.jpg", img, "JPEG", quality=85, optimize=True)
        put(f"{stem}_low.jpg", img, "JPEG", quality=60, optimize=True)
        put(f"{stem}.webp", img, "WEBP", quality=85, method=4)
        put(f"{stem}.png", img, "PNG", optimize=True)
        thumb = img.copy()
        thumb.thumbnail((300, 300), LANCZOS)
        put(f"{stem}_thumb.jpg", thumb, "JPEG", quality=80, optimize=True)
    return {"statusCode": 200}
