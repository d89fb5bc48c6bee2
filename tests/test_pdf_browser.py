"""Which browser prints the PDF: the one the user already has (``$CHROMIUM`` first, then
Chromium, Google Chrome or Microsoft Edge where Linux, macOS and Windows put them), and build
times in Beijing time. No browser is started here."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.build import browser, clock, index
from analysis.params import load_params


def exe(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("")
    return path


def no_command(name: str) -> None:
    return None


def test_chromium_env_comes_first_as_a_path_or_a_command(tmp_path: Path) -> None:
    mine = exe(tmp_path / "bin" / "my-chrome")
    on_path = {"chromium": "/usr/bin/chromium", "edge-beta": str(tmp_path / "edge-beta")}
    assert browser.find_browser("Linux", {"CHROMIUM": str(mine)}, on_path.get) == mine
    found = browser.find_browser("Linux", {"CHROMIUM": "edge-beta"}, on_path.get)
    assert found == tmp_path / "edge-beta"
    # a $CHROMIUM that is nowhere: the usual places are still tried
    found = browser.find_browser("Linux", {"CHROMIUM": "gone"}, on_path.get)
    assert found == Path("/usr/bin/chromium")


def test_linux_commands_in_order_of_preference() -> None:
    on_path = {"google-chrome": "/opt/google/chrome", "microsoft-edge": "/opt/edge"}
    assert browser.find_browser("Linux", {}, on_path.get) == Path("/opt/google/chrome")
    assert browser.find_browser("Linux", {}, {"microsoft-edge": "/opt/edge"}.get) == Path(
        "/opt/edge"
    )


def test_windows_finds_edge_where_windows_installs_it(tmp_path: Path) -> None:
    env = {
        "ProgramFiles": str(tmp_path / "Program Files"),
        "ProgramFiles(x86)": str(tmp_path / "Program Files (x86)"),
        "LOCALAPPDATA": str(tmp_path / "AppData" / "Local"),
    }
    edge = exe(tmp_path / "Program Files (x86)/Microsoft/Edge/Application/msedge.exe")
    assert browser.find_browser("Windows", env, no_command) == edge
    chrome = exe(tmp_path / "AppData/Local/Google/Chrome/Application/chrome.exe")
    assert browser.find_browser("Windows", env, no_command) == chrome  # Chrome before Edge
    assert browser.find_browser("Windows", {}, no_command) is None


def test_macos_applications_folders(tmp_path: Path) -> None:
    app = "Microsoft Edge.app/Contents/MacOS/Microsoft Edge"
    edge = exe(tmp_path / "Applications" / app)
    assert browser.find_browser("Darwin", {"HOME": str(tmp_path)}, no_command) == edge


@pytest.mark.parametrize(
    ("system", "advice"),
    [("Linux", "apt-get install chromium"), ("Windows", "Microsoft Edge"), ("Darwin", "Chrome")],
)
def test_without_a_browser_the_message_says_how_to_get_one(system: str, advice: str) -> None:
    text = browser.how_to_get_one(system)
    assert advice in text and "CHROMIUM" in text


def test_build_times_are_shown_in_beijing_time() -> None:
    assert clock.shown("2026-11-29T06:40:05+00:00") == "2026-11-29 14:40"
    assert clock.shown("2026-11-29T23:30:00-05:00") == "2026-11-30 12:30"
    assert clock.shown("2026-11-29T14:40:05") == "2026-11-29 14:40"  # no offset: Beijing
    assert clock.now().endswith("+08:00")
    reports = [{"name": "01_a", "title": "甲", "built_at": "2026-11-29T06:40:05+00:00"}]
    page = index.index_html(load_params().as_dict(), reports, [], [])
    assert "更新时间：2026-11-29 14:40（北京时间）" in page and "06:40" not in page
