import os
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
from playwright.sync_api import sync_playwright

def test_probe(live_server, transactional_db):
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless","--no-sandbox","--disable-gpu","--disable-background-networking","--disable-component-update"])
        ctx = b.new_context()
        page = ctx.new_page()
        page.on("console", lambda m: print("CONSOLE", m.type, m.text))
        page.on("response", lambda r: print("RESP", r.status, r.url))
        page.goto(live_server.url + "/")
        print("URL", live_server.url)
        try:
            page.add_script_tag(path="node_modules/axe-core/axe.min.js")
        except Exception as e:
            print("ADD_SCRIPT_TAG ERR", e)
        print("axe?", page.evaluate("typeof window.axe"))
        page.screenshot(path="/tmp/probe/start.png", full_page=True)
        b.close()
