"""Opens report.html in headless Chromium (Debian's package, driven by Selenium through
Debian's chromedriver) and checks what a reader does with it: no console errors, no network
request, a value on hovering the timeline, a topic's articles on clicking it, the topic search.
Saves a screenshot of each step under the folder given as the second argument.

Usage: report_test.py OUT_DIR/report.html SCREENSHOT_DIR
"""
import json
import pathlib
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

CHROMIUM = "/usr/bin/chromium"
DRIVER = "/usr/bin/chromedriver"


def driver(profile):
    opts = Options()
    opts.binary_location = CHROMIUM
    for flag in [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}", "--window-size=1280,1000", "--hide-scrollbars",
    ]:
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    # An explicit driver path: Selenium Manager downloads nothing.
    return webdriver.Chrome(service=Service(executable_path=DRIVER), options=opts)


def wait_for(cond, what, timeout=10.0):
    end = time.time() + timeout
    while time.time() < end:
        v = cond()
        if v:
            return v
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def main():
    report = pathlib.Path(sys.argv[1]).resolve()
    shots = pathlib.Path(sys.argv[2]).resolve()
    shots.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tt-chromium-") as profile:
        d = driver(profile)
        try:
            d.get(report.as_uri())
            wait_for(lambda: d.find_elements(By.CSS_SELECTOR, "#tt-timeline svg polyline"), "the timeline")
            d.save_screenshot(str(shots / "report-top.png"))

            # Hover the middle of the timeline's plot: the tooltip shows a date and values.
            overlay = d.find_element(By.CSS_SELECTOR, "#tt-timeline rect.tt-overlay")
            d.execute_script("arguments[0].scrollIntoView({block: 'center'})", overlay)
            ActionChains(d).move_to_element(overlay).move_by_offset(5, 0).perform()
            tip = d.find_element(By.ID, "tt-tip")
            wait_for(lambda: tip.is_displayed() and tip.text.strip(), "the hover tooltip")
            rows = tip.find_elements(By.CSS_SELECTOR, ".row")
            assert rows, "tooltip has no values"
            value = rows[0].find_elements(By.TAG_NAME, "span")[1].text
            assert any(c.isdigit() for c in value), f"tooltip value {value!r}"
            d.save_screenshot(str(shots / "report-hover.png"))
            print(f"hover: {tip.text.splitlines()[0]} / {rows[0].text}")

            # A legend toggle removes a line.
            before = len(d.find_elements(By.CSS_SELECTOR, "#tt-timeline svg polyline"))
            d.find_element(By.CSS_SELECTOR, ".tt-legend button[aria-pressed=true]").click()
            after = len(d.find_elements(By.CSS_SELECTOR, "#tt-timeline svg polyline"))
            assert after == before - 1, f"legend toggle: {before} -> {after} lines"

            # Zoom: drag across part of the plot, the range narrows; reset restores it.
            full = d.find_element(By.ID, "tt-range").text
            overlay = d.find_element(By.CSS_SELECTOR, "#tt-timeline rect.tt-overlay")
            w = overlay.size["width"]
            ActionChains(d).move_to_element_with_offset(overlay, -w // 4, 0).click_and_hold() \
                .move_by_offset(w // 4, 0).release().perform()
            zoomed = d.find_element(By.ID, "tt-range").text
            assert zoomed != full, f"zoom did not change the range ({full})"
            d.find_element(By.ID, "tt-reset").click()
            assert d.find_element(By.ID, "tt-range").text == full

            # Click the first topic: its articles, with titles, dates and scores.
            topic = d.find_element(By.CSS_SELECTOR, "table.topics button[data-topic]")
            d.execute_script("arguments[0].scrollIntoView({block: 'center'})", topic)
            topic.click()
            panel = d.find_element(By.ID, "tt-panel")
            wait_for(lambda: panel.is_displayed(), "the article panel")
            items = d.find_elements(By.CSS_SELECTOR, "#tt-panel-list li")
            assert items, "no articles listed"
            assert "score" in items[0].text, items[0].text
            print(f"topic panel: {d.find_element(By.ID, 'tt-panel-title').text} / "
                  f"{d.find_element(By.ID, 'tt-panel-note').text}")
            d.save_screenshot(str(shots / "report-articles.png"))
            d.find_element(By.ID, "tt-panel-close").click()

            # An event opens its articles too.
            ev = d.find_elements(By.CSS_SELECTOR, "table.events button[data-event]")
            if ev:
                d.execute_script("arguments[0].scrollIntoView({block: 'center'})", ev[0])
                ev[0].click()
                wait_for(lambda: panel.is_displayed(), "the event's articles")
                assert d.find_elements(By.CSS_SELECTOR, "#tt-panel-list li")
                d.find_element(By.ID, "tt-panel-close").click()

            # Topic search narrows the table.
            search = d.find_element(By.ID, "tt-search")
            search.send_keys("zzzz-no-such-word")
            shown = [r for r in d.find_elements(By.CSS_SELECTOR, "table.topics tbody tr") if r.is_displayed()]
            assert not shown, f"{len(shown)} rows still shown"
            search.clear()

            # No console errors, no network request other than the file itself.
            errors = [e for e in d.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]
            assert not errors, f"console errors: {errors}"
            requests = []
            for entry in d.get_log("performance"):
                msg = json.loads(entry["message"])["message"]
                if msg.get("method") == "Network.requestWillBeSent":
                    requests.append(msg["params"]["request"]["url"])
            # chrome:// pages are the browser's own (its new-tab page before the report loads).
            remote = [u for u in requests if not u.startswith(("file:", "data:", "about:", "chrome:"))]
            assert not remote, f"network requests: {remote}"
            print(f"ok: {len(requests)} request(s), all local; screenshots in {shots}")
        finally:
            d.quit()


if __name__ == "__main__":
    main()
