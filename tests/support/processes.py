"""Running a real `planbot` process in a test: a port nobody listens on, and `planbot run
--webhook` started with the environment a test gives it."""

from __future__ import annotations

import asyncio
import socket
import sys
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def start_webhook_server(
    cwd: Path, env: dict[str, str], *, keep_output: bool = True
) -> asyncio.subprocess.Process:
    """`planbot run --webhook` in `cwd`; its output piped (stderr with stdout) or dropped."""
    output = asyncio.subprocess.PIPE if keep_output else asyncio.subprocess.DEVNULL
    errors = asyncio.subprocess.STDOUT if keep_output else asyncio.subprocess.DEVNULL
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "run",
        "--webhook",
        cwd=cwd,
        env=env,
        stdout=output,
        stderr=errors,
    )
