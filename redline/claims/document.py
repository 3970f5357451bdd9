"""Reading an article: bytes in, plain text, title and publication date out.

:func:`read_document` takes a path or the bytes of a file (``-`` on the
command line is standard input):

- empty input, and binary files (PDF, images, archives, office documents,
  anything with NUL bytes or mostly control characters), are refused with an
  :class:`~redline.errors.InputError` that says what was found and what to do;
- text is decoded as UTF-8 (a byte-order mark is honoured); other encodings
  are detected with charset-normalizer and named in a warning; undecidable
  bytes are refused;
- HTML is recognised by its tags (or a ``.html`` name) and reduced to its
  main text with trafilatura, which also reads the title and the publication
  date from the page's metadata.

Offsets of extracted claims are offsets into :attr:`Document.text`. Line
endings are normalised to ``\\n``.

>>> doc = read_document(b"Xiaomi delivered 40,000 cars in October.\\r\\n")
>>> doc.format, doc.text, doc.date
('text', 'Xiaomi delivered 40,000 cars in October.\\n', None)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path

from ..errors import InputError

__all__ = ["Document", "read_document", "MAX_BYTES"]

MAX_BYTES = 200_000_000
"""Largest input read (200 MB): beyond it the file is surely not one article."""

_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF", "a PDF document", "convert it to text first (for example with pdftotext)"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx/.epub document)", "save or export it as plain text or HTML"),
    (b"\xd0\xcf\x11\xe0", "a Microsoft Office document", "save it as plain text or HTML"),
    (b"{\\rtf", "an RTF document", "save it as plain text or HTML"),
    (b"\x89PNG", "a PNG image", "extract reads text, not images"),
    (b"\xff\xd8\xff", "a JPEG image", "extract reads text, not images"),
    (b"GIF8", "a GIF image", "extract reads text, not images"),
    (b"RIFF", "a RIFF media file", "extract reads text, not media"),
    (b"\x1f\x8b", "a gzip archive", "decompress it first (gunzip)"),
    (b"BZh", "a bzip2 archive", "decompress it first (bunzip2)"),
    (b"\xfd7zXZ", "an xz archive", "decompress it first (unxz)"),
    (b"7z\xbc\xaf", "a 7-Zip archive", "extract it first"),
    (b"Rar!", "a RAR archive", "extract it first"),
    (b"\x7fELF", "an executable", "extract reads articles"),
    (b"SQLite format 3", "an SQLite database", "extract reads articles"),
    (b"DUCK", "a DuckDB database", "extract reads articles; query the store with `redline facts list`"),
    (b"PAR1", "a Parquet file", "import facts with `redline facts import`"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_HTML_SNIFF = re.compile(
    rb"<\s*(?:!doctype\s+html|html|head|body|article|main|div|p|meta|title|h1|h2|section|span|br|table)\b", re.I
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Document:
    """An article ready for extraction."""

    text: str
    date: Date | None = None
    """Publication date found in the document (HTML metadata), if any."""
    warnings: tuple[str, ...] = field(default=())
    format: str = "text"
    title: str | None = None
    name: str | None = None
    encoding: str = "utf-8"


def read_document(source: bytes | str | Path, /, *, name: str | None = None) -> Document:
    """Read an article from a path (``str`` or ``Path``) or from its bytes."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        name = name or str(path)
        try:
            if path.is_dir():
                raise InputError(f"{path}: is a directory; give the path of an article (.txt or .html)")
            size = path.stat().st_size
            if size > MAX_BYTES:
                raise InputError(f"{path}: {size:,} bytes is too large for one article (limit {MAX_BYTES:,})")
            data = path.read_bytes()
        except FileNotFoundError:
            raise InputError(f"{path}: no such file") from None
        except PermissionError:
            raise InputError(f"{path}: permission denied") from None
        except OSError as exc:
            raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    elif isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    else:
        raise InputError(f"read_document takes a path or bytes, not {type(source).__name__}")
    return _read_bytes(data, name or "<input>")


def _read_bytes(data: bytes, name: str) -> Document:
    if not data.strip():
        raise InputError(f"{name}: the input is empty; give an article as plain text or HTML")
    text, encoding, warnings = _decode(data, name)
    is_html = name.lower().endswith((".html", ".htm", ".xhtml")) or _looks_like_html(data)
    if is_html:
        return _read_html(text, name, encoding, warnings)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{name}: the input holds only whitespace; give an article as plain text or HTML")
    return Document(text=text, warnings=tuple(warnings), format="text", name=name, encoding=encoding)


def _decode(data: bytes, name: str) -> tuple[str, str, list[str]]:
    warnings: list[str] = []
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec), codec, warnings
            except UnicodeDecodeError:
                raise InputError(f"{name}: starts with a {codec} byte-order mark but is not valid {codec}") from None
    head = data[:4096]
    for magic, what, fix in _MAGIC:
        if head.startswith(magic):
            raise InputError(f"{name}: this is {what}, not text; {fix}")
    if b"\x00" in head:
        raise InputError(f"{name}: looks like a binary file (it holds NUL bytes); extract reads plain text or HTML")
    try:
        text = data.decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        matches = from_bytes(data[:200_000])
        best = matches.best()
        if best is None or best.encoding is None:
            raise InputError(
                f"{name}: cannot tell the text encoding (not UTF-8, and no other encoding fits); "
                "save it as UTF-8 and try again"
            ) from None
        encoding, others = _settle_encoding(data, best.encoding, [m.encoding for m in matches
                                                                 if m.chaos <= best.chaos + 0.05])
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise InputError(f"{name}: looks like {encoding} but does not decode as it; save it as UTF-8") from None
        also = f"; it could also be read as {', '.join(others)}: if letters look wrong, save it as UTF-8" if others else ""
        warnings.append(f"{name}: not UTF-8; decoded as {encoding} (detected){also}")
    sample = text[:20_000]
    if sample and len(_CONTROL.findall(sample)) > max(8, len(sample) // 50):
        raise InputError(f"{name}: looks like a binary file (mostly control characters); extract reads plain text or HTML")
    return text, encoding, warnings


_WESTERN = "cp1252"
"""The single-byte encoding preferred when several fit a file equally well: news in Latin script is most
often Western European (a latin-1 file read as cp1250 turns 'troisième' into 'troisičme')."""


def _settle_encoding(data: bytes, best: str, near: list[str]) -> tuple[str, list[str]]:
    """The encoding to read ``data`` with, and the other near-best ones that would read it differently.

    When every near-best candidate gives the same text there is no doubt. When the best is a single-byte
    encoding, the near-best single-byte ones read it differently, and the bytes decode as cp1252, cp1252
    is used (and the others named in the warning).
    """
    def read(codec: str) -> str | None:
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            return None

    readings = {c: read(c) for c in dict.fromkeys([best, *near])}
    readings = {c: t for c, t in readings.items() if t is not None and len(t) == len(data)}  # single-byte only
    if len(set(readings.values())) <= 1 or len(readings.get(best) or "") != len(data):
        return best, []  # no doubt, or a multi-byte encoding (GBK, Shift-JIS…): its detection stands
    chosen = _WESTERN if read(_WESTERN) is not None else best
    mine = read(chosen)
    return chosen, [c for c, t in readings.items() if t != mine]


def _looks_like_html(data: bytes) -> bool:
    head = data[:4096].lstrip()
    return head.startswith(b"<") and _HTML_SNIFF.search(head) is not None


def _read_html(html: str, name: str, encoding: str, warnings: list[str]) -> Document:
    import trafilatura

    try:
        extracted = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            favor_recall=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # malformed markup must not end in a traceback
        extracted = None
        warnings.append(f"{name}: the HTML could not be parsed as an article ({type(exc).__name__}); read its text")
    text = getattr(extracted, "text", None) or ""
    title = getattr(extracted, "title", None)
    when = _parse_date(getattr(extracted, "date", None))
    if not text.strip():
        try:
            text = trafilatura.html2txt(html) or ""
        except Exception:
            text = ""
        if not text.strip():
            text = _strip_tags(html)
        if text.strip():
            warnings.append(f"{name}: no main article found in the HTML; read all of its text")
    if not text.strip():
        raise InputError(f"{name}: the HTML holds no readable text")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if title and not text.lstrip().startswith(title.strip()):
        text = f"{title.strip()}\n{text}"
    return Document(text=text, date=when, warnings=tuple(warnings), format="html", title=title, name=name,
                    encoding=encoding)


_TAG = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<[^>]{0,2000}>", re.S | re.I)


def _strip_tags(html: str) -> str:
    import html as html_lib

    return html_lib.unescape(_TAG.sub(" ", html))


def _parse_date(value: object) -> Date | None:
    if not isinstance(value, str):
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if not m:
        return None
    try:
        return Date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
