"""Signing in to the running staff app, by browser (Playwright) or by HTTP (requests)."""

from __future__ import annotations

import re

import requests


def sign_in_browser(page, staff, name: str) -> None:  # noqa: ANN001 - Playwright page, Staff fixture
    page.goto(f"{staff.base_url}/login")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(staff.users[name][1])
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").wait_for()


def csrf_in(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no CSRF token"
    return found.group(1)


def sign_in_http(staff, name: str, password: str = "") -> requests.Session:  # noqa: ANN001
    session = requests.Session()
    form = session.get(f"{staff.base_url}/login", timeout=30)
    response = session.post(f"{staff.base_url}/login", timeout=30, data={
        "csrf_token": csrf_in(form.text), "username": name, "password": password or staff.users[name][1],
        "next": "/"})
    assert response.status_code == 200 and "Sign out" in response.text, response.text[:500]
    session.csrf = csrf_in(response.text)  # type: ignore[attr-defined]
    return session
