"""A fixture website on loopback for the fetcher's tests: a real HTTP server (http.server in a thread).

Routes are plain data: path -> a handler function that gets the request and returns the response. Every
request is logged (path and headers) so tests can say what the crawler asked for, and what it did not.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


@dataclass
class Request:
    path: str
    headers: dict[str, str]


def pdf_bytes(text: str, pad: int = 0) -> bytes:
    """A small file that is a PDF by its bytes (the fetcher only looks at them), with text to tell it apart."""
    return b"%PDF-1.4\n% " + text.encode() + b"\n" + b"0" * pad + b"\n%%EOF\n"


def html_page(links: list[tuple[str, str]]) -> bytes:
    items = "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in links)
    return f"<!DOCTYPE html><html><head><title>Dokument</title></head><body><ul>{items}</ul></body></html>".encode()


def static(body: bytes, content_type: str = "application/pdf", etag: str | None = None, modified: float | None = None):
    """A file that answers conditional requests as a server would: 304 when the validators match."""

    def reply(request: Request) -> Reply:
        headers = {"Content-Type": content_type}
        if etag:
            headers["ETag"] = etag
        if modified is not None:
            headers["Last-Modified"] = formatdate(modified, usegmt=True)
        if etag and request.headers.get("if-none-match") == etag:
            return Reply(304, b"", headers)
        if modified is not None and request.headers.get("if-modified-since") == headers["Last-Modified"]:
            return Reply(304, b"", headers)
        return Reply(200, body, headers)

    return reply


def failing_first(failures: list[Reply], then: Callable[[Request], Reply]):
    """Answers with each of `failures` in turn, then as `then` does."""
    left = list(failures)

    def reply(request: Request) -> Reply:
        return left.pop(0) if left else then(request)

    return reply


class Site:
    def __init__(self) -> None:
        self.routes: dict[str, Callable[[Request], Reply]] = {}
        self.log: list[Request] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                request = Request(self.path, {k.lower(): v for k, v in self.headers.items()})
                site.log.append(request)
                route = site.routes.get(self.path)
                reply = route(request) if route else Reply(404, b"<html><body>Not found</body></html>")
                if reply.delay_s:
                    time.sleep(reply.delay_s)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def requested(self, path: str) -> list[Request]:
        return [r for r in self.log if r.path == path]

    def __enter__(self) -> Site:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
