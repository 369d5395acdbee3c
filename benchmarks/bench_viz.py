"""How fast the live page answers a Step, measured in the browser (not a timed test).

For each size it opens the app with ``?households=N`` (twin run on, the city's pilot package), clicks Step and
times, in the page, from the click until both the map and the charts have new images decoded. Reports the
median and 90th percentile over several steps, with the server-side step time of both runs for comparison.

    .venv/bin/python benchmarks/bench_viz.py [--sizes 1000 5000 20000] [--steps 15] [--city changshu]

Target (docs/app.md): under 300 ms at 5,000 households.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

STEP_JS = """
async () => {
  const sel = '.urbanize-charts img, .urbanize-map img';
  const srcs = () => [...document.querySelectorAll(sel)].map(i => i.src);
  const before = srcs();
  const btn = [...document.querySelectorAll('button')].find(b => b.innerText.trim().toUpperCase() === 'STEP');
  const t0 = performance.now();
  btn.click();
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no update within 30 s')), 30000);
    const check = () => {
      const now = srcs();
      if (now.length === before.length && now.every(s => s && !before.includes(s))) {
        clearTimeout(timer); resolve();
      } else { setTimeout(check, 2); }
    };
    check();
  });
  await Promise.all([...document.querySelectorAll(sel)].map(i => i.decode().catch(() => null)));
  return performance.now() - t0;
}
"""


def measure(page, url: str, households: int, steps: int, city: str, policies: str) -> dict:
    query = f"city={city}&households={households}" + (f"&policies={policies}" if policies else "")
    page.goto(f"{url}?{query}")
    page.get_by_role("button", name="Step").wait_for()
    page.locator(".urbanize-charts img, .urbanize-error").first.wait_for()
    if page.locator(".urbanize-error").count():
        raise RuntimeError(page.locator(".urbanize-error").first.inner_text())
    page.locator(".urbanize-charts img").wait_for()
    status = page.locator(".urbanize-status").inner_text()
    times, server = [], []
    for _ in range(steps + 2):
        ms = page.evaluate(STEP_JS)
        times.append(ms)
        m = re.search(r"last step (\d+) ms", page.locator(".urbanize-status").inner_text())
        server.append(int(m.group(1)) if m else float("nan"))
    times, server = times[2:], server[2:]  # the first steps warm caches
    if page.locator(".urbanize-error").count():
        raise RuntimeError(page.locator(".urbanize-error").first.inner_text())
    q = statistics.quantiles(times, n=10)
    return {"households": households, "agents": status, "median_ms": statistics.median(times), "p90_ms": q[-1],
            "server_step_ms": statistics.median(server)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    ap.add_argument("--steps", type=int, default=15)
    ap.add_argument("--city", default="changshu")
    ap.add_argument("--policies", default="", help="policies to run (default: the city's pilot package)")
    args = ap.parse_args()
    chromium = shutil.which("chromium")
    if not chromium:
        print("error: Debian's chromium is not installed (make browser-deps)", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    from urbanize.viz import server

    proc, url = server.start()
    try:
        server.wait_ready(url, proc, timeout=90)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(60_000)
            print(f"city {args.city}, policies {args.policies or 'pilot package'}, twin run on, {args.steps} steps each")
            print(f"{'households':>10} {'click->updated charts, median':>30} {'p90':>8} {'server step (2 runs)':>22}")
            for n in args.sizes:
                r = measure(page, url, n, args.steps, args.city, args.policies)
                print(f"{n:>10,} {r['median_ms']:>27.0f} ms {r['p90_ms']:>5.0f} ms {r['server_step_ms']:>19.0f} ms",
                      flush=True)
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
