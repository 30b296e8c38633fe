"""A local Lambda Runtime API for scripts (Resources/aws/smoke_test.py,
Benchmarks/lambda_bench.py): queued events are handed out by GET .../invocation/next, answers
(response or error, with the error type) are collected with their arrival times. The Swift
tests use their own implementation (Tests/ImgprocTestSupport/RuntimeAPIServer.swift)."""
import http.server
import queue
import threading
import time


class RuntimeAPI(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, deadline_seconds=600):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.deadline_seconds = deadline_seconds
        self.events = queue.Queue()
        self.first_next = None
        self.handed = {}
        self.answered = {}
        self.done = threading.Condition()
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def address(self):
        return f"127.0.0.1:{self.server_port}"

    def invoke(self, request_id, body):
        self.events.put((request_id, body))

    def answer(self, request_id, timeout=600):
        """(time, kind, error type, body) once `request_id` is answered, else None."""
        with self.done:
            self.done.wait_for(lambda: request_id in self.answered, timeout=timeout)
        return self.answered.get(request_id)

    def handle_error(self, request, client_address):
        pass  # a runtime killed at the end resets its connection


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # A reply is written as headers, then body: with Nagle's algorithm the body waits for the
    # client's delayed ACK of the headers (40 ms on Linux), which Lambda's own Runtime API
    # never adds to an invocation (measured: every invocation after the first 40 ms late).
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        api = self.server
        if api.first_next is None:
            api.first_next = time.monotonic()
        request_id, body = api.events.get()
        api.handed[request_id] = time.monotonic()
        deadline = int((time.time() + api.deadline_seconds) * 1000)
        self.reply(200, body, [("Lambda-Runtime-Aws-Request-Id", request_id),
                               ("Lambda-Runtime-Deadline-Ms", str(deadline))])

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        parts = self.path.split("/")
        api = self.server
        with api.done:
            api.answered[parts[-2]] = (time.monotonic(), parts[-1],
                                       self.headers.get("Lambda-Runtime-Function-Error-Type"), body)
            api.done.notify_all()
        self.reply(202, b'{"status":"OK"}')
