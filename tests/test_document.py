"""Reading articles: encodings, HTML, and clear refusals of empty and binary input."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from redline.claims.document import read_document
from redline.errors import InputError

ARTICLE = "Xiaomi delivered more than 40,000 vehicles in October, the company said. Revenue rose 30%."

HTML = """<!DOCTYPE html>
<html><head><title>Xiaomi deliveries top 40,000</title>
<meta property="article:published_time" content="2025-11-03T08:00:00Z">
</head><body><nav>Home | Markets | Autos</nav>
<article><h1>Xiaomi deliveries top 40,000</h1>
<p>Xiaomi delivered more than 40,000 vehicles in October, the company said on Saturday, the second month in a row above
that mark. The electric-vehicle maker is on course for its annual target.</p>
<p>Deliveries of the YU7 sport utility vehicle began in July and have since become the bulk of its volume.</p>
</article><footer>Copyright 2025. Call 400-100-5678.</footer></body></html>"""


def test_plain_utf8_text() -> None:
    doc = read_document(ARTICLE.encode("utf-8"))
    assert (doc.format, doc.text, doc.date, doc.warnings, doc.encoding) == ("text", ARTICLE, None, (), "utf-8")


def test_line_endings_are_normalised() -> None:
    assert read_document(b"one\r\ntwo\rthree\n").text == "one\ntwo\nthree\n"


def test_utf8_bom_and_utf16() -> None:
    assert read_document(b"\xef\xbb\xbf" + ARTICLE.encode()).text == ARTICLE
    assert read_document(b"\xff\xfe" + ARTICLE.encode("utf-16-le")).text == ARTICLE


def test_other_encodings_are_detected_and_named() -> None:
    text = "Le constructeur a livré 40 000 véhicules en octobre, soit une hausse de 30 % sur un an, a précisé la société."
    doc = read_document(text.encode("cp1252"))
    assert doc.text == text
    assert doc.warnings and "not UTF-8" in doc.warnings[0]


def test_chinese_text() -> None:
    text = "小米汽车10月交付量超过4万辆。"
    assert read_document(text.encode("utf-8")).text == text


def test_html_gives_main_text_title_and_date() -> None:
    doc = read_document(HTML.encode("utf-8"), name="article.html")
    assert doc.format == "html"
    assert doc.date == date(2025, 11, 3)
    assert doc.title == "Xiaomi deliveries top 40,000"
    assert "more than 40,000 vehicles in October" in doc.text
    assert "Home | Markets" not in doc.text


def test_html_is_recognised_without_a_name() -> None:
    assert read_document(HTML.encode("utf-8")).format == "html"


@pytest.mark.parametrize("data", [b"", b"   \n\t  ", b"\xef\xbb\xbf"])
def test_empty_input_is_refused(data: bytes) -> None:
    with pytest.raises(InputError, match="empty|whitespace"):
        read_document(data, name="empty.txt")


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00", "gzip"),
        (bytes(range(256)) * 4, "binary"),
        (b"\x00\x01\x02\x03 some text \x00\x00", "binary"),
    ],
)
def test_binary_input_is_refused_with_a_clear_message(data: bytes, what: str) -> None:
    with pytest.raises(InputError, match=what):
        read_document(data, name="upload.bin")


def test_paths_and_missing_files(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    assert read_document(path).text == ARTICLE
    assert read_document(str(path)).name == str(path)
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="directory"):
        read_document(tmp_path)


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><p>NIO delivered 40,397 vehicles in October.</p>",
        "<div><p>Unclosed <b>tags <i>everywhere <p>NIO delivered 40,397 vehicles.",
        "<html>" + "<div>" * 5000 + "NIO delivered 40,397 vehicles." + "</div>" * 10,
        "<html><script>var x = '<p>';</script><p>NIO delivered 40,397 vehicles.</p></html>",
    ],
)
def test_broken_html_still_gives_text(html: str) -> None:
    doc = read_document(html.encode("utf-8"), name="page.html")
    assert "40,397" in doc.text


def test_a_latin1_article_is_not_read_as_central_european() -> None:
    text = "Xiaomi a livré 108 796 voitures au troisième trimestre 2025. Le café était à 3,50."
    doc = read_document(text.encode("latin-1"))
    assert doc.text == text  # not 'troisičme' (cp1250) or 'livrť' (mac_latin2)
    assert "decoded as cp1252" in doc.warnings[0] and "could also be read as" in doc.warnings[0]
