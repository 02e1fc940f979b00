"""Actions shared by the browser tests."""

from houqin.org.tests.factories import PASSWORD


def login(page, base_url, username, password=PASSWORD):
    page.goto(f"{base_url}/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_load_state()
