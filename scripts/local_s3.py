"""The local S3 server of scripts/with-s3-server.sh, for scripts run under it: its endpoint,
the credentials it accepts (tempauth's test account), and a boto3 client for it."""
import os

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "test:tester", "AWS_SECRET_ACCESS_KEY": "testing"}


def endpoint():
    return os.environ["IMGPROC_TEST_S3_ENDPOINT"]


def client():
    """A boto3 S3 client for the server: path-style, SigV4."""
    import boto3
    from botocore.config import Config
    return boto3.client("s3", endpoint_url=endpoint(), region_name="us-east-1",
                        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
                        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
                        config=Config(s3={"addressing_style": "path"}, signature_version="s3v4"))
