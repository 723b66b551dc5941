"""The dashboard's server time: the overview and a project page, on the FY2564 plan and on a
synthetic plan 100 times larger with 1,000,000 indicator reports (bench/synthetic.py), each as a
ratio to GET /health on the same server in the same run; and what the overview weighs with
everything it loads (styles, script, the Thai font), against the goal of 600 KB.

    .venv/bin/python -m bench.dashboard [--scale 100] [--reports 1000000] [--runs 30]
        [--large-runs 3]

The overview reads what /summary and /late read (it is those figures), so their time through
the dispatcher on the same data is printed beside it.

Every request goes over HTTP to the real webhook app (bot.webhook.build_app with the dashboard
mounted) on 127.0.0.1, signed in the way a person is: by opening their personal link."""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import socket
import statistics
import tempfile
import time
from pathlib import Path

from aiohttp import ClientSession, CookieJar
from aiohttp.test_utils import TestServer

from bench.status_dispatch import CODES, NOW, seed_reports, services_for, small_plan
from bench.synthetic import synthetic_plan
from bot.webhook import build_app
from handlers.context import Services
from handlers.dashboard.signing import DashboardLinks
from handlers.dispatch import dispatch
from handlers.request import Request
from storage.unit_of_work import UnitOfWork

GOAL_KB = 600


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def median_ms(client: ClientSession, url: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        async with client.get(url) as response:
            await response.read()
            assert response.status == 200, (url, response.status)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


async def transfer_bytes(client: ClientSession, base: str) -> tuple[int, dict[str, int]]:
    """The overview and every file it loads, as served (no compression)."""
    sizes: dict[str, int] = {}
    async with client.get(f"{base}/dashboard/") as response:
        page = await response.text()
        sizes["overview HTML"] = len(await response.read())
    assets = re.findall(r'(?:href|src)="(/dashboard/static/[^"]+)"', page)
    for path in assets:
        async with client.get(base + path) as response:
            body = await response.read()
            sizes[path.split("/")[-1].split("?")[0]] = len(body)
            if path.split("?")[0].endswith(".css"):
                for font in re.findall(r'url\("([^"]+)"\)', body.decode()):
                    async with client.get(f"{base}/dashboard/static/{font}") as found:
                        sizes[font] = len(await found.read())
    return sum(sizes.values()), sizes


async def measure(services: Services, runs: int) -> dict[str, float]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    services.dashboard = DashboardLinks(base, b"bench-secret-0123456789abcdef012")
    server = TestServer(build_app(services), host="127.0.0.1", port=port)
    await server.start_server()
    try:
        with UnitOfWork(services.db) as uow:
            person = uow.people.find("telegram", "1")
        assert person is not None
        link = services.dashboard.personal_link(person.id, "telegram", "1", NOW)
        async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as client:
            async with client.get(link) as response:
                assert response.status == 200
            for path in ("/health", "/dashboard/", f"/dashboard/project/{CODES[0]}"):
                await median_ms(client, base + path, 1)  # warm up
            result = {
                "health": await median_ms(client, f"{base}/health", runs),
                "overview": await median_ms(client, f"{base}/dashboard/", runs),
                "project": await median_ms(client, f"{base}/dashboard/project/{CODES[0]}", runs),
            }
            total, sizes = await transfer_bytes(client, base)
            result["bytes"] = total
            result.update({f"size {name}": size for name, size in sizes.items()})
            return result
    finally:
        await server.close()


def chat_ms(services: Services, text: str, runs: int) -> float:
    """The same figures in chat: the command through the dispatcher (no network)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        replies = dispatch(Request("telegram", "1", "1", text=text), services)
        times.append(time.perf_counter() - started)
        assert replies, text
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--large-runs", type=int, default=3)
    args = parser.parse_args()
    large_source = synthetic_plan(args.scale, args.reports)
    with tempfile.TemporaryDirectory() as tmp:
        large_path = Path(tmp) / "large.sqlite3"
        shutil.copy(large_source, large_path)  # the cached file stays as built
        small = services_for(small_plan(Path(tmp)))
        seed_reports(small)
        large = services_for(large_path)
        results = {
            "FY2564": asyncio.run(measure(small, args.runs)),
            f"{args.scale}x + {args.reports:,} reports": asyncio.run(
                measure(large, args.large_runs)
            ),
        }
        chat = {
            "FY2564": {c: chat_ms(small, c, args.runs) for c in ("/summary", "/late")},
            f"{args.scale}x + {args.reports:,} reports": {
                c: chat_ms(large, c, args.large_runs) for c in ("/summary", "/late")
            },
        }
    for name, got in results.items():
        health = got["health"]
        print(f"{name}:")
        print(f"  GET /health          {health:8.2f} ms")
        for page in ("overview", "project"):
            print(f"  GET {page:<16} {got[page]:8.2f} ms  = {got[page] / health:8.1f}x /health")
        both = sum(chat[name].values())
        print(f"  chat /summary + /late {both:8.2f} ms (the overview's figures, in chat)")
    sizes = results["FY2564"]
    total_kb = sizes["bytes"] / 1024
    parts = ", ".join(
        f"{k[5:]} {v / 1024:.0f} KB" for k, v in sizes.items() if k.startswith("size")
    )
    print(f"overview transfer with fonts: {total_kb:.0f} KB (goal under {GOAL_KB} KB): {parts}")


if __name__ == "__main__":
    main()
