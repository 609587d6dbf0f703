"""Waiting in a real Chromium (selenium) for the next page: no fixed sleeps."""

from __future__ import annotations

from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.remote.webelement import WebElement


def gone(element: WebElement) -> bool:
    """The element's document was replaced. Selenium's ``staleness_of`` knows only the stale-element error; while
    Chrome swaps documents, asking about a node of the old one may instead fail with "Node with given id does not
    belong to the document" (seen in CI): that answer means gone as well."""
    try:
        element.is_enabled()
    except StaleElementReferenceException:
        return True
    except WebDriverException as exc:
        if "does not belong to the document" in str(exc):
            return True
        raise
    return False
