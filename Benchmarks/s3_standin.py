"""A fast in-memory S3 stand-in on loopback, for Benchmarks/scale_bench.py's 100k part: so that
only imgproc's side of an s3-sync is measured. Not a test double and not S3: path-style
requests only, no signature check, no multipart, no versioning.

What it answers: PUT and DELETE of a bucket or an object, HEAD and GET of an object (a
`Range: bytes=a-b` too), ListObjectsV2 (`prefix`, `delimiter`, `max-keys`, `start-after`,
`continuation-token`, `encoding-type=url`) with 1,000 keys a page as S3 does. ETags are the
MD5 of the body; `Content-MD5` is checked. HTTP/1.1 with keep-alive, one asyncio loop.

Outside S3's namespace (bucket names never start with `_`):
  POST /_admin/seed?bucket=B&count=N  N tiny JPEGs under 100 date prefixes (`upload_keys`)
  POST /_admin/drop?bucket=B           forgets bucket B and its objects
  GET  /_admin/stats                  {"requests": {"GET": n, "LIST": n, ...}}, then reset

usage: s3_standin.py [--port 0]   (prints "listening on http://127.0.0.1:PORT", then serves)
"""

import argparse
import asyncio
import base64
import bisect
import email.utils
import hashlib
import io
import json
import random
import sys
import urllib.parse
from xml.sax.saxutils import escape

PAGE = 1000


def upload_keys(count):
    """count keys under 100 date prefixes, as an upload bucket holds them:
    2026-09-01/u000000.jpg ... 2026-12-10/u099999.jpg."""
    return [f"2026-{9 + (i % 100) // 30:02d}-{1 + (i % 100) % 30:02d}/u{i:06d}.jpg"
            for i in range(count)]


def tiny_jpeg(index):
    """A 32x32 JPEG, different for every index."""
    from PIL import Image
    rng = random.Random(index)
    image = Image.new("RGB", (32, 32), (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    image.putpixel((index % 32, (index // 32) % 32), (255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


class Bucket:
    """Objects by key (body, ETag, headers), the keys in order (sorted when listed) and each
    object's <Contents> element, made when first listed (url-encoded key or not)."""

    def __init__(self):
        self.objects = {}
        self.keys = []
        self.sorted = True
        self.listed = {}

    def put(self, key, body, headers):
        if key not in self.objects:
            self.keys.append(key)
            self.sorted = False
        self.objects[key] = (body, hashlib.md5(body).hexdigest(), headers)
        self.listed.pop((key, True), None)
        self.listed.pop((key, False), None)

    def delete(self, key):
        if self.objects.pop(key, None) is not None:
            self.keys.remove(key)
            self.listed.pop((key, True), None)
            self.listed.pop((key, False), None)

    def contents(self, key, url):
        element = self.listed.get((key, url))
        if element is None:
            body, etag, _ = self.objects[key]
            name = urllib.parse.quote(key, safe="/") if url else escape(key)
            element = (f'<Contents><Key>{name}</Key><ETag>"{etag}"</ETag><Size>{len(body)}</Size>'
                       "<StorageClass>STANDARD</StorageClass></Contents>")
            self.listed[(key, url)] = element
        return element

    def ordered(self):
        if not self.sorted:
            self.keys.sort()
            self.sorted = True
        return self.keys


class Store:
    def __init__(self):
        self.buckets = {}
        self.counts = {}

    def count(self, kind):
        self.counts[kind] = self.counts.get(kind, 0) + 1


def reply(status, body=b"", headers=()):
    return status, list(headers), body


def error(status, code, message=""):
    body = (f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code>'
            f"<Message>{escape(message)}</Message></Error>").encode()
    return reply(status, body, [("Content-Type", "application/xml")])


def list_objects(bucket, query):
    """ListObjectsV2: keys and common prefixes in key order, PAGE entries at most."""
    prefix = query.get("prefix", "")
    delimiter = query.get("delimiter", "")
    limit = min(PAGE, int(query.get("max-keys", PAGE)))
    url = query.get("encoding-type") == "url"
    keys = bucket.ordered()
    after, skip_prefix = query.get("start-after", ""), None
    if "continuation-token" in query:
        token = base64.urlsafe_b64decode(query["continuation-token"]).decode()
        kind, after = token[0], token[1:]
        if kind == "P":
            skip_prefix = after
    index = bisect.bisect_right(keys, after) if after else bisect.bisect_left(keys, prefix)
    contents, prefixes, last, truncated = [], [], None, False
    while index < len(keys):
        key = keys[index]
        if not key.startswith(prefix):
            break
        if skip_prefix is not None and key.startswith(skip_prefix):
            index += 1
            continue
        if len(contents) + len(prefixes) == limit:
            truncated = True
            break
        cut = key.find(delimiter, len(prefix)) if delimiter else -1
        if cut >= 0:
            common = key[:cut + len(delimiter)]
            prefixes.append(common)
            last, skip_prefix = "P" + common, common
        else:
            contents.append(key)
            last = "K" + key
        index += 1
    enc = (lambda text: urllib.parse.quote(text, safe="/")) if url else escape
    parts = ['<?xml version="1.0" encoding="UTF-8"?>'
             '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
             f"<Prefix>{enc(prefix)}</Prefix><KeyCount>{len(contents) + len(prefixes)}</KeyCount>"
             f"<MaxKeys>{limit}</MaxKeys><IsTruncated>{'true' if truncated else 'false'}</IsTruncated>"]
    if url:
        parts.append("<EncodingType>url</EncodingType>")
    if delimiter:
        parts.append(f"<Delimiter>{enc(delimiter)}</Delimiter>")
    if truncated:
        token = base64.urlsafe_b64encode(last.encode()).decode()
        parts.append(f"<NextContinuationToken>{token}</NextContinuationToken>")
    parts += [bucket.contents(key, url) for key in contents]
    for common in prefixes:
        parts.append(f"<CommonPrefixes><Prefix>{enc(common)}</Prefix></CommonPrefixes>")
    parts.append("</ListBucketResult>")
    return reply(200, "".join(parts).encode(), [("Content-Type", "application/xml")])


def object_headers(entry):
    body, etag, headers = entry
    return [("ETag", f'"{etag}"'), ("Content-Type", headers.get("content-type", "binary/octet-stream")),
            ("Last-Modified", email.utils.formatdate(usegmt=True))] + [
        (name, value) for name, value in headers.items() if name.startswith("x-amz-meta-")]


def handle(store, method, target, headers, body):
    path, _, raw_query = target.partition("?")
    query = dict(urllib.parse.parse_qsl(raw_query, keep_blank_values=True))
    if path.startswith("/_admin/"):
        return admin(store, path, query)
    name, _, key = urllib.parse.unquote(path[1:]).partition("/")
    if not name:
        return error(400, "InvalidRequest", "path-style requests only")
    if not key:
        store.count("LIST" if method == "GET" else method)
        if method == "PUT":
            store.buckets.setdefault(name, Bucket())
            return reply(200)
        bucket = store.buckets.get(name)
        if bucket is None:
            return error(404, "NoSuchBucket", name)
        if method == "GET" and query.get("list-type") == "2":
            return list_objects(bucket, query)
        if method == "HEAD":
            return reply(200)
        return error(501, "NotImplemented", f"{method} of a bucket")
    store.count(method)
    bucket = store.buckets.get(name)
    if bucket is None:
        return error(404, "NoSuchBucket", name)
    if method == "PUT":
        if "uploads" in query or "uploadId" in query or "x-amz-copy-source" in headers:
            return error(501, "NotImplemented", "multipart and copy")
        md5 = headers.get("content-md5")
        if md5 is not None and base64.b64decode(md5) != hashlib.md5(body).digest():
            return error(400, "BadDigest", "Content-MD5 does not match")
        bucket.put(key, body, {k: v for k, v in headers.items()
                               if k == "content-type" or k.startswith("x-amz-meta-")})
        return reply(200, b"", [("ETag", f'"{bucket.objects[key][1]}"')])
    if method == "DELETE":
        bucket.delete(key)
        return reply(204)
    entry = bucket.objects.get(key)
    if entry is None:
        return reply(404) if method == "HEAD" else error(404, "NoSuchKey", key)
    if method == "HEAD":
        return reply(200, b"", object_headers(entry) + [("Content-Length", str(len(entry[0])))])
    if method == "GET":
        data = entry[0]
        ranged = headers.get("range", "")
        if ranged.startswith("bytes="):
            first, _, last = ranged[6:].partition("-")
            data = data[int(first):int(last) + 1 if last else len(data)]
            return reply(206, data, object_headers(entry))
        return reply(200, data, object_headers(entry))
    return error(501, "NotImplemented", method)


def admin(store, path, query):
    if path == "/_admin/stats":
        counts, store.counts = store.counts, {}
        return reply(200, json.dumps({"requests": counts}).encode(),
                     [("Content-Type", "application/json")])
    if path == "/_admin/seed":
        bucket = store.buckets.setdefault(query["bucket"], Bucket())
        for index, key in enumerate(upload_keys(int(query["count"]))):
            bucket.put(key, tiny_jpeg(index), {"content-type": "image/jpeg"})
        return reply(200, json.dumps({"seeded": len(bucket.objects)}).encode())
    if path == "/_admin/drop":
        store.buckets.pop(query["bucket"], None)
        return reply(200)
    return error(404, "NoSuchAdmin", path)


async def serve_connection(store, reader, writer):
    try:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionError):
                return
            lines = head.decode("latin-1").split("\r\n")
            method, target, _ = lines[0].split(" ", 2)
            headers = {}
            for line in lines[1:]:
                if line:
                    name, _, value = line.partition(":")
                    headers[name.strip().lower()] = value.strip()
            if headers.get("transfer-encoding", "").lower() == "chunked":
                body = bytearray()
                while True:
                    size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                    if size == 0:
                        while await reader.readuntil(b"\r\n") != b"\r\n":
                            pass
                        break
                    body += await reader.readexactly(size)
                    await reader.readexactly(2)
                body = bytes(body)
            else:
                body = await reader.readexactly(int(headers.get("content-length", "0")))
            status, out_headers, out_body = handle(store, method, target, headers, body)
            names = {name.lower() for name, _ in out_headers}
            if "content-length" not in names:
                out_headers.append(("Content-Length", str(len(out_body))))
            response = [f"HTTP/1.1 {status} {'OK' if status < 300 else 'Error'}"]
            response += [f"{name}: {value}" for name, value in out_headers]
            writer.write(("\r\n".join(response) + "\r\n\r\n").encode("latin-1"))
            if method != "HEAD":
                writer.write(out_body)
            await writer.drain()
            if headers.get("connection", "").lower() == "close":
                return
    finally:
        writer.close()


async def main(port):
    store = Store()
    server = await asyncio.start_server(
        lambda r, w: serve_connection(store, r, w), "127.0.0.1", port, limit=1 << 20)
    print(f"listening on http://127.0.0.1:{server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    try:
        asyncio.run(main(parser.parse_args().port))
    except KeyboardInterrupt:
        sys.exit(0)
