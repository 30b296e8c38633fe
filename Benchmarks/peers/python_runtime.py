"""A minimal Lambda custom runtime loop for a Python handler (what AWS's runtime interface
client does, without its extras), so Benchmarks/lambda_bench.py serves the seed's Pillow
handler through the same Runtime API as imgproc's bootstrap.
usage: python_runtime.py MODULE_PATH"""
import http.client
import importlib.util
import json
import os
import sys

host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")
connection = http.client.HTTPConnection(host, int(port))
base = "/2018-06-01/runtime/invocation"


def request(method, path, body=None):
    connection.request(method, path, body=body)
    response = connection.getresponse()
    return response, response.read()


spec = importlib.util.spec_from_file_location("handler", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
while True:
    response, body = request("GET", base + "/next")
    request_id = response.getheader("Lambda-Runtime-Aws-Request-Id")
    try:
        result = module.handler(json.loads(body), None)
        request("POST", f"{base}/{request_id}/response", json.dumps(result))
    except Exception as error:  # the runtime reports it and goes on
        request("POST", f"{base}/{request_id}/error",
                json.dumps({"errorMessage": str(error), "errorType": type(error).__name__}))
