"""The web app in Debian's Chromium: the audit flow, the entity page's charts, the add-fact form."""

from __future__ import annotations

from pathlib import Path

import pytest

from redline.claims.render import VERDICT_BACKGROUNDS

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed (apt-get install chromium); "
                       "the browser tests drive Debian's Chromium"),
]

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT.parent / "shared" / "seeds" / "xiaomi-ev-growth-vs-safety.txt"
SEED_DATE = "2025-11-25"


def rgb(hex_colour: str) -> str:
    h = hex_colour.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(h[i:i + 2], 16) for i in (0, 2, 4)))


def audit_in_browser(page, text: str, date: str = SEED_DATE) -> None:  # type: ignore[no-untyped-def]
    page.goto("/audit")
    page.fill("#text", text)
    page.fill("#date", date)
    page.click("#audit-submit")
    page.wait_for_selector("#redlined")


def test_audit_flow_shows_the_verdict_colours(page, screenshots: Path) -> None:  # type: ignore[no-untyped-def]
    if not SEED.exists():
        pytest.skip(f"the seed article {SEED} is not beside the repository")
    audit_in_browser(page, SEED.read_text(encoding="utf-8"))
    marks = page.locator("mark.claim")
    assert marks.count() >= 8
    page.screenshot(path=str(screenshots / "audit-seed.png"), full_page=True)

    # every claim is coloured by its verdict: supported green, contradicted red, misleading amber, unverifiable grey
    seen = set()
    for i in range(marks.count()):
        mark = marks.nth(i)
        verdict = mark.get_attribute("data-verdict")
        colour = mark.evaluate("el => getComputedStyle(el).backgroundColor")
        assert colour == rgb(VERDICT_BACKGROUNDS[verdict]), (mark.inner_text(), verdict, colour)
        seen.add(verdict)
    assert {"supported", "misleading"} <= seen

    # the expected verdicts on the founding example
    q3 = page.locator("mark.claim", has_text="108,796")
    assert q3.first.get_attribute("data-verdict") == "supported"
    assert q3.first.evaluate("el => getComputedStyle(el).backgroundColor") == rgb(VERDICT_BACKGROUNDS["supported"])
    ramp = page.locator("mark.claim", has_text="almost 15%")
    assert ramp.first.get_attribute("data-verdict") == "misleading"
    assert ramp.first.evaluate("el => getComputedStyle(el).backgroundColor") == rgb(VERDICT_BACKGROUNDS["misleading"])

    # hover shows the explanation; click brings up the note with its evidence and sources
    assert len(ramp.first.get_attribute("title") or "") > 20
    ramp.first.click()
    note_id = ramp.first.get_attribute("id").replace("claim-", "note-")
    note = page.locator(f"#{note_id}")
    assert "active" in (note.get_attribute("class") or "")
    assert note.is_visible()
    note_box = note.bounding_box()
    assert note_box is not None and 0 <= note_box["y"] < 900, "the note is scrolled into view"
    assert "misleading" in note.inner_text().lower()
    assert note.locator("a[href^='http']").count() >= 1, "the note links to its sources"
    page.screenshot(path=str(screenshots / "audit-seed-note.png"), full_page=False)

    # the summary at the top counts the claims by verdict
    summary = page.locator(".redline .summary")
    assert summary.is_visible()
    box, first_mark = summary.bounding_box(), marks.first.bounding_box()
    assert box is not None and first_mark is not None and box["y"] < first_mark["y"]
    words = summary.inner_text().lower()
    assert "claims" in words and all(v in words for v in ("supported", "misleading", "contradicted", "unverifiable"))


def test_markup_in_an_article_is_shown_as_text(page, screenshots: Path) -> None:  # type: ignore[no-untyped-def]
    hostile = ('<script>window.pwned = 1</script> <img src=x onerror="window.pwned = 2"> '
               '<b onclick="window.pwned = 3">bold</b> Xiaomi delivered 108,796 vehicles in Q3 2025.')
    audit_in_browser(page, hostile)
    article = page.locator(".redline article")
    assert "<script>window.pwned = 1</script>" in article.inner_text()
    assert 'onerror="window.pwned = 2"' in article.inner_text()
    assert page.locator(".redline article img, .redline article script, .redline article b").count() == 0
    assert page.evaluate("() => window.pwned") is None
    page.screenshot(path=str(screenshots / "audit-markup-as-text.png"), full_page=True)


def test_entity_page_shows_its_charts(page, screenshots: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"/entity/Xiaomi?as_of={SEED_DATE}")
    brief = page.locator("#brief")
    brief.wait_for()
    charts = brief.locator("figure svg")
    assert charts.count() >= 1
    box = charts.first.bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 50
    assert charts.first.locator("path, rect, line").count() > 5, "the chart has marks drawn"
    page.screenshot(path=str(screenshots / "entity-xiaomi.png"), full_page=True)
    charts.first.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshots / "entity-xiaomi-chart.png"))


def test_home_shows_entities_with_trends(page, screenshots: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto("/")
    assert page.locator("table.entities tbody tr").count() >= 5
    spark = page.locator("svg.spark").first
    assert spark.is_visible()
    page.screenshot(path=str(screenshots / "home.png"), full_page=True)


def test_add_fact_form_shows_a_field_error_on_bad_input(page, screenshots: Path, token: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/facts/new")
    fields = {"entity": "Xiaomi", "metric": "deliveries", "period_start": "2026-03-01", "period_end": "2026-03-31",
              "value": "lots", "unit": "vehicles", "source_url": "https://example.com/march"}
    for name, value in fields.items():
        page.fill(f"#f-{name}", value)
    page.fill("#f-token", token)
    page.click("#add-submit")
    error = page.locator("#error-value")
    error.wait_for()
    assert "not a number" in error.inner_text()
    assert page.locator("#f-value").get_attribute("aria-invalid") == "true"
    assert page.locator("#f-value").input_value() == "lots"
    assert page.locator(".field-error").count() == 1, "only the bad field is flagged"
    page.screenshot(path=str(screenshots / "add-fact-error.png"), full_page=True)

    page.fill("#f-value", "31000")
    page.fill("#f-token", token)
    page.click("#add-submit")
    page.locator("#added").wait_for()
    assert "Added" in page.locator("#added").inner_text()
    page.screenshot(path=str(screenshots / "add-fact-added.png"), full_page=True)
