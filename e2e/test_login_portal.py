"""Login, staff portal, logout, forced password change and role-based menus in a real browser."""

import re

import pytest
from helpers import login

from houqin.core.roles import Role
from houqin.org.tests.factories import PASSWORD, PersonFactory, make_center, make_unit, make_user

sync_api = pytest.importorskip("playwright.sync_api", reason="未安装 Python 包 playwright")
expect = sync_api.expect

# transaction=True: live_server runs in another thread and must see the test's rows.
# Live-server tests need real transactions; e2e/conftest.py re-seeds the rows that migrations
# create (ranks, role groups), which the flush after each transactional test removes.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CJK = re.compile(r"[\u4e00-\u9fff]{2,}")
LOGOUT_BUTTON = 'form[action$="/logout/"] button'
NEW_PASSWORD = "Xin-Mima-2026"


@pytest.fixture
def staff_user(db):
    """A center, an agency and one ordinary member of staff with a login."""
    center = make_center("测试区机关后勤服务中心", code="E2E")
    agency = make_unit(center, "测试区财政局", short_name="财政局", code="CZJ")
    return make_user(PersonFactory(agency=agency, name="张小明"), username="zhangxm")


def open_menu_holding(page, selector):
    """Open the dropdown / offcanvas / collapse that hides `selector`, the way a user would."""
    target = page.locator(selector).first
    if target.is_visible():
        return target
    found = page.evaluate(
        """(selector) => {
            const el = document.querySelector(selector);
            for (let node = el && el.parentElement; node; node = node.parentElement) {
                let toggle = null;
                if (node.id) {
                    toggle = document.querySelector(
                        `[data-bs-target="#${node.id}"], [href="#${node.id}"][data-bs-toggle]`);
                }
                if (!toggle && node.classList.contains("dropdown-menu")) {
                    toggle = node.parentElement.querySelector('[data-bs-toggle="dropdown"]');
                }
                if (toggle) { toggle.setAttribute("data-e2e-toggle", "1"); return true; }
            }
            return false;
        }""",
        selector,
    )
    assert found, f"找不到打开 {selector} 的菜单按钮"
    page.locator("[data-e2e-toggle]").first.click()
    expect(target).to_be_visible()
    return target


def logout(page):
    open_menu_holding(page, LOGOUT_BUTTON).click()
    page.wait_for_load_state()


def assert_no_csp_violations(page):
    problems = [m for m in page.console_errors if "Content Security Policy" in m]
    assert not problems, problems


def test_staff_logs_in_opens_portal_and_logs_out(page, live_server, staff_user, screenshot):
    login(page, live_server.url, "zhangxm")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("body")).to_contain_text(CJK)

    response = page.goto(f"{live_server.url}/m/")
    assert response is not None and response.status == 200
    expect(page).to_have_url(f"{live_server.url}/m/")
    expect(page.locator("body")).to_contain_text(CJK)
    # The portal is for phones: nothing may overflow the 390 px wide screen.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"页面横向溢出 {overflow}px"
    screenshot(page, "portal-phone")
    assert_no_csp_violations(page)

    logout(page)
    expect(page).to_have_url(re.compile(re.escape(f"{live_server.url}/login/")))
    expect(page.locator("input[name=password]")).to_be_visible()

    # The session is really gone: the portal sends us back to the login page.
    page.goto(f"{live_server.url}/m/")
    expect(page).to_have_url(re.compile(re.escape(f"{live_server.url}/login/")))


def test_wrong_password_shows_chinese_error(page, live_server, staff_user):
    login(page, live_server.url, "zhangxm", "Wrong-pass-1")
    expect(page).to_have_url(re.compile(re.escape(f"{live_server.url}/login/")))
    expect(page.get_by_text("用户名或密码错误")).to_be_visible()
    expect(page.locator("input[name=password]")).to_have_value("")
    assert_no_csp_violations(page)


def test_first_login_forces_password_change(page, live_server, db):
    center = make_center("测试区机关后勤服务中心", code="E2E")
    agency = make_unit(center, "测试区教育局", short_name="教育局", code="JYJ")
    user = make_user(PersonFactory(agency=agency, name="李新"), username="lixin", must_change=True)

    login(page, live_server.url, "lixin")
    expect(page).to_have_url(f"{live_server.url}/account/password/")
    # Every other page sends the user back here until the password is changed.
    page.goto(f"{live_server.url}/m/")
    expect(page).to_have_url(f"{live_server.url}/account/password/")

    page.locator("input[name=old_password]").fill(PASSWORD)
    page.locator("input[name=new_password1]").fill(NEW_PASSWORD)
    page.locator("input[name=new_password2]").fill(NEW_PASSWORD)
    page.locator("form:has(input[name=new_password1]) [type=submit]").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_text("密码已修改")).to_be_visible()
    user.refresh_from_db()
    assert not user.must_change_password
    assert user.check_password(NEW_PASSWORD)

    page.goto(f"{live_server.url}/m/")
    expect(page).to_have_url(f"{live_server.url}/m/")


def test_admin_menu_shows_org_entries_staff_menu_does_not(desktop_page, live_server, db):
    page = desktop_page
    center = make_center("测试区机关后勤服务中心", code="E2E")
    agency = make_unit(center, "测试区财政局", short_name="财政局", code="CZJ")
    make_user(PersonFactory(agency=agency, name="王管理"), Role.CENTER_ADMIN, username="wangadmin")
    make_user(PersonFactory(agency=agency, name="赵职工"), username="zhaozg")
    entries = ("组织机构", "人员", "账号与角色")
    sidebar = page.locator(".hq-sidebar")

    login(page, live_server.url, "wangadmin")
    expect(page).to_have_url(f"{live_server.url}/")
    for label in entries:
        expect(sidebar.get_by_role("link", name=label, exact=True)).to_be_visible()
    page.get_by_role("link", name="账号与角色", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/org/accounts/")
    assert_no_csp_violations(page)

    logout(page)
    login(page, live_server.url, "zhaozg")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("link", name="首页", exact=True).first).to_be_visible()
    for label in entries:
        expect(page.get_by_role("link", name=label, exact=True)).to_have_count(0)
    # Typing the address does not help either.
    response = page.goto(f"{live_server.url}/org/accounts/")
    assert response is not None and response.status in (403, 404)
