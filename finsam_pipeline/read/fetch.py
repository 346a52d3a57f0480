"""Fetching reports from where each förbund publishes them: a polite crawler, pure of Dagster.

`assets/reference/sources.csv` names, per förbund, the page where it publishes its reports (or one
document's address). For each row `fetch_all`:

- fetches the page as a well-mannered crawler: a User-Agent naming the project, `robots.txt` honoured
  (`urllib.robotparser`, its Crawl-delay too), at most one request per `delay_s` per host, a few
  redirects (each hop checked against `robots.txt`), timeouts, retries of 5xx, 429 and dropped
  connections with backoff that honours `Retry-After`, and a size limit;
- finds the links to reports on it (`report_links`: link text or address naming årsredovisning,
  verksamhetsplan or budget, pointing at a document; relative links resolved against the page);
- downloads each one, asking again conditionally (`If-None-Match` / `If-Modified-Since`) when it was
  fetched before, and keeps what its bytes say is a PDF (an HTML page served as `.pdf` is refused);
- stores a new document in `DIR/<forbund_id>/`, once whatever the number of addresses it is under;
  a changed document at the same address lands beside the old one under a new name; no file is ever
  overwritten.

What it learnt is kept in the state file `DIR/.finsam-fetch.json` (hidden, so never read as a report):
per address its validators (ETag, Last-Modified) and the content it last gave, per content the file it
was stored as, the address it came from and when. `provenance` reads it back for the load, which
writes `documents.source_url` and `documents.fetched_at`.

HTML is parsed by selectolax (Lexbor), HTTP spoken by httpx; neither is done by hand here.
"""

from __future__ import annotations

import csv
import email.message
import email.utils
import hashlib
import json
import os
import re
import tempfile
import time
import urllib.robotparser
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import httpx
from selectolax.lexbor import LexborHTMLParser

from finsam_pipeline.read.files import DEFAULT_MAX_BYTES
from finsam_pipeline.read.textnorm import fold

USER_AGENT = (
    "finsam-pipeline/0.1 (fetcher of Swedish samordningsforbund annual reports and plans for research; "
    "honours robots.txt)"
)
STATE_FILE = ".finsam-fetch.json"
SOURCES_HEADER = ("forbund_id", "url", "source")
REPORT_WORDS = re.compile(r"arsredovisning|verksamhetsplan|budget")
DOCUMENT_SUFFIXES = frozenset({".pdf", ".doc", ".docx", ".odt", ".rtf"})
# A link without a document suffix is still taken when its address reads as a download.
DOWNLOAD_HINTS = re.compile(r"download|getfile|attachment|/files?/|/uploads?/|/dokument/|/documents?/|/media/")
PAGE_SUFFIXES = frozenset(
    {".htm", ".html", ".shtml", ".php", ".asp", ".aspx", ".jsp", ".jpg", ".jpeg", ".png", ".gif", ".svg",
     ".webp", ".bmp", ".tif", ".tiff", ".mp3", ".mp4", ".mov", ".avi", ".zip", ".xls", ".xlsx", ".ppt",
     ".pptx", ".csv", ".txt", ".xml", ".json", ".ics"}
)  # fmt: skip
FORBUND_ID = re.compile(r"^[a-z0-9_]+$")
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class FetchSettings:
    """How politely and how far the crawler goes; tests shorten the waits."""

    user_agent: str = USER_AGENT
    delay_s: float = 1.0  # at least this long between two requests to one host (robots.txt may ask longer)
    timeout_s: float = 30.0  # connect, read and write, each
    max_bytes: int = DEFAULT_MAX_BYTES  # a response larger than this is refused
    max_redirects: int = 5
    retries: int = 3  # further attempts after a 5xx, a 429 or a dropped connection
    backoff_s: float = 2.0  # the first retry's wait, doubled each time, unless Retry-After says otherwise
    max_wait_s: float = 120.0  # a Retry-After longer than this is not waited for: the address fails
    max_crawl_delay_s: float = 60.0  # a robots.txt Crawl-delay is honoured up to this
    max_links: int = 200  # report links followed on one page


@dataclass(frozen=True)
class Source:
    """One row of sources.csv: where a förbund publishes its reports, and how that is known."""

    forbund_id: str
    url: str
    source: str


def read_sources(path: Path | str) -> list[Source]:
    """The rows of a sources CSV (header forbund_id,url,source); a malformed file is a ValueError."""
    path = Path(path)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != SOURCES_HEADER:
            raise ValueError(f"{path}: the header must be {','.join(SOURCES_HEADER)}, not {reader.fieldnames}")
        sources = []
        for line, row in enumerate(reader, start=2):
            forbund_id, url = (row["forbund_id"] or "").strip(), (row["url"] or "").strip()
            if not FORBUND_ID.match(forbund_id):
                raise ValueError(f"{path}:{line}: forbund_id {forbund_id!r} is not a slug (a-z, 0-9, _)")
            if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
                raise ValueError(f"{path}:{line}: {url!r} is not an http(s) address")
            sources.append(Source(forbund_id, url, (row["source"] or "").strip()))
    return sources


def sniff(content: bytes) -> str:
    """What the bytes are, whatever the name or Content-Type says: pdf, html, office, image or unknown."""
    head = content[:1024].lstrip()
    if content[:1024].find(b"%PDF-") != -1:  # the header may follow a few bytes of junk, as readers allow
        return "pdf"
    lowered = head[:512].lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<?xml")) or b"<html" in lowered:
        return "html"
    if content.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return "office"
    if content.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF", b"II*\x00", b"MM\x00*")):
        return "image"
    return "unknown"


REFUSED_KINDS = {
    "html": "an HTML page, not a PDF",
    "office": "an office document (zip or OLE), not a PDF; the pipeline reads PDF",
    "image": "an image, not a PDF",
    "unknown": "not a PDF by its first bytes",
}


def is_report_link(url: str, text: str) -> bool:
    """Whether a link names a report (årsredovisning, verksamhetsplan, budget) and points at a document."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return False
    path = unquote(parts.path)
    address = fold(f"{path} {unquote(parts.query)}")
    if not (REPORT_WORDS.search(fold(text)) or REPORT_WORDS.search(address)):
        return False
    suffix = Path(path).suffix.lower()
    if suffix in DOCUMENT_SUFFIXES:
        return True
    if suffix in PAGE_SUFFIXES and not DOWNLOAD_HINTS.search(fold(unquote(parts.query))):
        return False
    return bool(DOWNLOAD_HINTS.search(address))


def report_links(html: bytes | str, page_url: str) -> list[str]:
    """The addresses of the reports a page links to, absolute, each once, in page order."""
    tree = LexborHTMLParser(html if isinstance(html, str) else html.decode("utf-8", errors="replace"))
    base = page_url
    base_node = tree.css_first("base[href]")
    if base_node is not None and base_node.attributes.get("href"):
        base = urljoin(page_url, base_node.attributes["href"].strip())
    found: dict[str, None] = {}
    for anchor in tree.css("a[href]"):
        href = (anchor.attributes.get("href") or "").strip()
        if not href:
            continue
        text = " ".join(filter(None, [anchor.text(separator=" ", strip=True), anchor.attributes.get("title")]))
        try:
            url = urldefrag(urljoin(base, href)).url
            if is_report_link(url, text):
                found.setdefault(url)
        except ValueError:  # an address no URL parser accepts (a broken IPv6 host, ...): not a link
            continue
    return list(found)


class FetchFailed(Exception):
    """An address that could not be fetched (timeout, HTTP error, too large): counted as failed."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class FetchRefused(FetchFailed):
    """An address the crawler will not fetch or keep (robots.txt, not a PDF): counted as refused."""


@dataclass
class Fetched:
    url: str  # the address after redirects
    status: int
    headers: httpx.Headers
    content: bytes


@dataclass
class SourceResult:
    """What became of one row of sources.csv."""

    forbund_id: str
    url: str
    pages: int = 0  # pages checked (the source page, after redirects)
    links: int = 0  # report links found on it
    new: list[str] = field(default_factory=list)  # files written, relative to DIR
    not_modified: int = 0  # 304 to a conditional request
    unchanged: int = 0  # fetched again (no validators), same content as stored
    duplicates: int = 0  # content already stored from another address or by hand
    refused: list[tuple[str, str]] = field(default_factory=list)  # (address, reason)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (address, reason)

    def counts(self) -> dict[str, int]:
        return {
            "pages_checked": self.pages,
            "report_links": self.links,
            "new": len(self.new),
            "not_modified": self.not_modified,
            "unchanged": self.unchanged + self.not_modified,
            "duplicates": self.duplicates,
            "refused": len(self.refused),
            "failed": len(self.failed),
        }

    def line(self) -> str:
        """One line for the run's summary: the counts, then each refusal and failure with its reason."""
        c = self.counts()
        text = (
            f"{self.forbund_id}: {c['pages_checked']} page(s) checked, {c['report_links']} report links, "
            f"{c['new']} new, {c['unchanged']} unchanged ({c['not_modified']} not modified), "
            f"{c['duplicates']} duplicate, {c['refused']} refused, {c['failed']} failed"
        )
        reasons = [f"refused {u}: {r}" for u, r in self.refused] + [f"failed {u}: {r}" for u, r in self.failed]
        return text + ("; " + "; ".join(reasons) if reasons else "")


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds, from a number or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _file_name(url: str, headers: httpx.Headers) -> str:
    """A safe file name: Content-Disposition's, else the address's last segment; always ending .pdf."""
    name = ""
    disposition = headers.get("content-disposition")
    if disposition:
        message = email.message.Message()
        message["content-disposition"] = disposition
        name = message.get_filename() or ""
    if not name:
        name = unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])
    name = re.sub(r"[^\w.\-]+", "_", Path(name).name).strip("._") or "document"
    stem = name[:-4] if name.lower().endswith(".pdf") else Path(name).stem or name
    return f"{stem[:120]}.pdf"


class State:
    """The state file in DIR: validators per address, the stored file per content."""

    def __init__(self, raw_dir: Path) -> None:
        self.path = raw_dir / STATE_FILE
        try:
            data = json.loads(self.path.read_text(encoding="utf-8")) if self.path.exists() else {}
        except ValueError:  # a damaged state file: start afresh (stored files are still known by their hash)
            data = {}
        self.urls: dict[str, dict] = data.get("urls", {})
        self.files: dict[str, dict] = data.get("files", {})

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"version": 1, "urls": self.urls, "files": self.files}, indent=1, sort_keys=True)
        handle, temporary = tempfile.mkstemp(prefix=".finsam-fetch-", dir=self.path.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, self.path)


class Fetcher:
    """One crawl over the sources, writing into `raw_dir`. Use as a context manager (closes the client)."""

    def __init__(
        self,
        raw_dir: Path | str,
        settings: FetchSettings | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.raw_dir = Path(raw_dir)
        self.settings = settings or FetchSettings()
        self.sleep, self.clock = sleep, clock
        self.client = httpx.Client(
            headers={"User-Agent": self.settings.user_agent},
            timeout=httpx.Timeout(self.settings.timeout_s),
            follow_redirects=False,
        )
        self.state = State(self.raw_dir)
        self._last_request: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._on_disk: dict[str, dict[str, Path]] = {}  # forbund folder -> sha256 -> a file holding it

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.client.close()

    # -- HTTP ---------------------------------------------------------------------------------------------

    def _host(self, url: str) -> str:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}"

    def _delay(self, host: str) -> float:
        robots = self._robots.get(host)
        asked = robots.crawl_delay(self.settings.user_agent) if robots is not None else None
        return max(self.settings.delay_s, min(float(asked or 0), self.settings.max_crawl_delay_s))

    def _throttle(self, host: str) -> None:
        last = self._last_request.get(host)
        if last is not None:
            wait = last + self._delay(host) - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last_request[host] = self.clock()

    def _send(self, url: str, headers: dict[str, str] | None = None) -> Fetched:
        """One GET (no redirect followed), throttled, retried on 5xx, 429 and dropped connections, the body
        read up to the size limit."""
        attempt = 0
        while True:
            self._throttle(self._host(url))
            try:
                fetched = self._read(url, headers or {})
            except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as error:
                kind = "timed out" if isinstance(error, httpx.TimeoutException) else "connection failed"
                if attempt >= self.settings.retries:
                    raise FetchFailed(f"{kind} ({type(error).__name__}) after {attempt + 1} attempts") from error
                wait = self.settings.backoff_s * 2**attempt
            except (httpx.HTTPError, httpx.InvalidURL) as error:  # a bad address, an unsupported scheme, ...
                raise FetchFailed(f"{type(error).__name__}: {error}") from error
            else:
                if fetched.status not in RETRY_STATUSES:
                    return fetched
                if attempt >= self.settings.retries:
                    raise FetchFailed(f"HTTP {fetched.status} after {attempt + 1} attempts")
                asked = _retry_after(fetched.headers.get("retry-after"))
                if asked is not None and asked > self.settings.max_wait_s:
                    raise FetchFailed(f"HTTP {fetched.status}, Retry-After {asked:g} s is longer than we wait")
                wait = asked if asked is not None else self.settings.backoff_s * 2**attempt
            attempt += 1
            self.sleep(wait)

    def _read(self, url: str, headers: dict[str, str]) -> Fetched:
        with self.client.stream("GET", url, headers=headers) as response:
            length = response.headers.get("content-length")
            if response.status_code == 200 and length and length.isdigit() and int(length) > self.settings.max_bytes:
                raise FetchRefused(f"{int(length)} bytes, over the limit of {self.settings.max_bytes}")
            body = bytearray()
            if response.status_code == 200:
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > self.settings.max_bytes:
                        raise FetchRefused(f"over the size limit of {self.settings.max_bytes} bytes")
            return Fetched(str(response.url), response.status_code, response.headers, bytes(body))

    def _allowed(self, url: str) -> bool:
        """Whether robots.txt lets this crawler fetch the address (fetched once per host, RFC 9309: a
        robots.txt that is missing allows everything, one that cannot be read forbids everything)."""
        host = self._host(url)
        if host not in self._robots:
            robots = urllib.robotparser.RobotFileParser(host + "/robots.txt")
            try:
                fetched = self._send(host + "/robots.txt")
                hops = 0
                while fetched.status in (301, 302, 303, 307, 308) and hops < self.settings.max_redirects:
                    location = urljoin(fetched.url, fetched.headers.get("location", ""))
                    fetched, hops = self._send(location), hops + 1
            except FetchFailed:
                robots.disallow_all = True
            else:
                if fetched.status == 200:
                    robots.parse(fetched.content.decode("utf-8", errors="replace").splitlines())
                elif fetched.status in (401, 403) or fetched.status >= 500:
                    robots.disallow_all = True
                else:
                    robots.allow_all = True
            self._robots[host] = robots
        robots = self._robots[host]
        return robots is None or robots.can_fetch(self.settings.user_agent, url)

    def get(self, url: str, headers: dict[str, str] | None = None) -> Fetched:
        """GET an address the polite way, redirects followed (each hop checked against robots.txt)."""
        for _ in range(self.settings.max_redirects + 1):
            if not self._allowed(url):
                raise FetchRefused("disallowed by robots.txt")
            fetched = self._send(url, headers)
            location = fetched.headers.get("location")
            if fetched.status in (301, 302, 303, 307, 308) and location:
                url = urldefrag(urljoin(fetched.url, location)).url
                continue
            if fetched.status in (200, 304):
                return fetched
            raise FetchFailed(f"HTTP {fetched.status}")
        raise FetchFailed(f"more than {self.settings.max_redirects} redirects")

    # -- storing --------------------------------------------------------------------------------------------

    def _stored(self, forbund_id: str) -> dict[str, Path]:
        """sha256 -> file of every file already in the förbund's folder (fetched or dropped there by hand)."""
        if forbund_id not in self._on_disk:
            folder = self.raw_dir / forbund_id
            known: dict[str, Path] = {}
            if folder.is_dir():
                for path in sorted(folder.iterdir()):
                    if path.is_file() and not path.name.startswith("."):
                        known.setdefault(hashlib.sha256(path.read_bytes()).hexdigest(), path)
            self._on_disk[forbund_id] = known
        return self._on_disk[forbund_id]

    def _has_content(self, sha256: str) -> bool:
        entry = self.state.files.get(sha256)
        return entry is not None and (self.raw_dir / entry["path"]).is_file()

    def _write(self, forbund_id: str, name: str, content: bytes, sha256: str) -> Path:
        """Write new content under `name`, or beside it under a new version's name: never over a file."""
        folder = self.raw_dir / forbund_id
        folder.mkdir(parents=True, exist_ok=True)
        stem = name[:-4]
        candidates = [name, f"{stem}-{sha256[:8]}.pdf", *(f"{stem}-{sha256[:8]}-{n}.pdf" for n in range(2, 100))]
        handle, temporary = tempfile.mkstemp(prefix=".partial-", dir=folder)
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        for candidate in candidates:
            target = folder / candidate
            try:
                os.link(temporary, target)  # fails if the name is taken: nothing is ever overwritten
            except FileExistsError:
                continue
            os.unlink(temporary)
            return target
        os.unlink(temporary)
        raise FetchFailed(f"no free file name for {name} in {folder}")

    # -- one source ---------------------------------------------------------------------------------------------

    def fetch_source(self, source: Source) -> SourceResult:
        result = SourceResult(source.forbund_id, source.url)
        if self.state.urls.get(source.url, {}).get("sha256"):  # the row names a document fetched before
            result.links = 1
            self._fetch_document(source, source.url, result)
            return result
        try:
            page = self.get(source.url)
        except FetchRefused as refusal:
            result.refused.append((source.url, refusal.reason))
            return result
        except FetchFailed as failure:
            result.failed.append((source.url, failure.reason))
            return result
        if sniff(page.content) == "pdf":  # the row names a document itself
            result.links = 1
            self._keep(source, source.url, page, result)
            return result
        result.pages += 1
        if sniff(page.content) != "html":
            result.refused.append((source.url, f"the source page is {REFUSED_KINDS[sniff(page.content)]}"))
            return result
        links = report_links(page.content, page.url)[: self.settings.max_links]
        result.links = len(links)
        for url in links:
            self._fetch_document(source, url, result)
        return result

    def _fetch_document(self, source: Source, url: str, result: SourceResult) -> None:
        known = self.state.urls.get(url, {})
        headers = {}
        if known.get("sha256") and self._has_content(known["sha256"]):  # ask again only if we still hold it
            if known.get("etag"):
                headers["If-None-Match"] = known["etag"]
            if known.get("last_modified"):
                headers["If-Modified-Since"] = known["last_modified"]
        try:
            fetched = self.get(url, headers)
        except FetchRefused as refusal:
            result.refused.append((url, refusal.reason))
            return
        except FetchFailed as failure:
            result.failed.append((url, failure.reason))
            return
        if fetched.status == 304:
            result.not_modified += 1
            known["checked_at"] = _now()
            return
        self._keep(source, url, fetched, result)

    def _keep(self, source: Source, url: str, fetched: Fetched, result: SourceResult) -> None:
        kind = sniff(fetched.content)
        if kind != "pdf":
            result.refused.append((url, REFUSED_KINDS[kind]))
            return
        sha256 = hashlib.sha256(fetched.content).hexdigest()
        previous = self.state.urls.get(url, {}).get("sha256")
        self.state.urls[url] = {
            "etag": fetched.headers.get("etag"),
            "last_modified": fetched.headers.get("last-modified"),
            "sha256": sha256,
            "final_url": fetched.url,
            "checked_at": _now(),
        }
        on_disk = self._stored(source.forbund_id)
        if self._has_content(sha256) or sha256 in on_disk:
            if previous == sha256:
                result.unchanged += 1
            else:
                result.duplicates += 1
            return
        path = self._write(source.forbund_id, _file_name(fetched.url, fetched.headers), fetched.content, sha256)
        on_disk[sha256] = path
        relative = path.relative_to(self.raw_dir).as_posix()
        self.state.files[sha256] = {"path": relative, "url": fetched.url, "fetched_at": _now()}
        result.new.append(relative)


def fetch_all(
    sources: Sequence[Source],
    raw_dir: Path | str,
    settings: FetchSettings | None = None,
    report: Callable[[SourceResult], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[SourceResult]:
    """Every source fetched in turn; the state file is saved after each, so a stopped run keeps what it did."""
    results = []
    with Fetcher(raw_dir, settings, sleep=sleep) as fetcher:
        for source in sources:
            result = fetcher.fetch_source(source)
            fetcher.state.save()
            results.append(result)
            if report is not None:
                report(result)
    return results


def provenance(paths: Iterable[Path | str]) -> dict[str, tuple[str, datetime]]:
    """sha256 -> (source URL, fetched at, UTC without zone) for the files a fetch stored: read from the state
    file of the raw folder above each file (its parent's parent, or nearer)."""
    found: dict[str, tuple[str, datetime]] = {}
    looked: set[Path] = set()
    for raw in paths:
        for folder in list(Path(raw).resolve().parents)[:3]:
            if folder in looked:
                continue
            looked.add(folder)
            state = folder / STATE_FILE
            if not state.is_file():
                continue
            try:
                files = json.loads(state.read_text(encoding="utf-8")).get("files", {})
            except (OSError, ValueError):
                continue
            for sha256, entry in files.items():
                when = datetime.fromisoformat(entry["fetched_at"]).astimezone(UTC).replace(tzinfo=None)
                found.setdefault(sha256, (entry["url"], when))
    return found
