"""What library calls mean for PID 1, as data: which spawn processes, which handle SIGTERM.

Keys are qualified names as the app imports them (``subprocess.Popen``), or method names
(``.add_signal_handler``) for calls on objects whose type a parse cannot know. Each row says
why it is there. A library that is absent from these tables is taken to neither spawn nor
handle SIGTERM: Python and Node install no SIGTERM handler by default, and libraries that do
are listed in the HANDLES tables (the listed exceptions are what the analysis relies on).
"""

from __future__ import annotations

from typing import NamedTuple


class Api(NamedTuple):
    name: str  # qualified name, or ".method" for a method call on any object
    meaning: str  # the words used in messages: "starts subprocesses with subprocess.Popen"
    reason: str = ""


def _spawn(name: str, reason: str = "") -> Api:
    return Api(name, f"starts subprocesses with {name.lstrip('.')}", reason)


# Python calls that start child processes.
PYTHON_SPAWNS: tuple[Api, ...] = (
    *(_spawn(f"subprocess.{n}", "the subprocess module forks and execs")
      for n in ("Popen", "run", "call", "check_call", "check_output", "getoutput",
                "getstatusoutput")),
    *(_spawn(f"os.{n}", "fork/exec wrappers of the os module")
      for n in ("system", "popen", "fork", "forkpty", "posix_spawn", "posix_spawnp",
                "spawnl", "spawnle", "spawnlp", "spawnlpe", "spawnv", "spawnve", "spawnvp",
                "spawnvpe")),
    *(_spawn(f"multiprocessing.{n}", "multiprocessing forks (or spawns) worker processes")
      for n in ("Process", "Pool", "get_context")),
    _spawn("multiprocessing.pool.Pool", "worker processes"),
    _spawn("concurrent.futures.ProcessPoolExecutor", "worker processes"),
    _spawn("asyncio.create_subprocess_exec", "asyncio subprocess"),
    _spawn("asyncio.create_subprocess_shell", "asyncio subprocess (through /bin/sh)"),
    _spawn(".subprocess_exec", "loop.subprocess_exec: the event loop's subprocess API"),
    _spawn(".subprocess_shell", "loop.subprocess_shell: the event loop's subprocess API"),
    *(_spawn(f"pexpect.{n}", "pexpect runs programs on a pty")
      for n in ("spawn", "run", "popen_spawn.PopenSpawn")),
    _spawn("sh.Command", "the sh library runs programs"),
    _spawn("billiard.Process", "celery's multiprocessing fork"),
)  # fmt: skip

# Python calls that start a browser: its helper processes are orphaned and need reaping.
PYTHON_ORPHANS: tuple[Api, ...] = (
    Api("pyppeteer.launch", "starts headless Chromium with pyppeteer.launch",
        "Chromium's zygote/renderer processes are orphaned to PID 1"),
    Api("playwright.sync_api.sync_playwright", "starts browsers with playwright",
        "playwright drives a browser process tree; helpers get orphaned"),
    Api("playwright.async_api.async_playwright", "starts browsers with playwright",
        "as sync_playwright"),
    Api("selenium.webdriver.Chrome", "starts Chrome with selenium.webdriver.Chrome",
        "chromedriver and Chrome leave orphans when a session is not quit cleanly"),
    Api("selenium.webdriver.Firefox", "starts Firefox with selenium.webdriver.Firefox",
        "geckodriver and Firefox leave orphans when a session is not quit cleanly"),
)  # fmt: skip

# Python calls after which the process reaps any child: it is fine as PID 1 for orphans.
PYTHON_REAPS: tuple[Api, ...] = (
    Api("os.wait", "reaps children with os.wait", "waits for any child"),
    Api("os.wait3", "reaps children with os.wait3", "waits for any child"),
    Api("os.waitid", "reaps children with os.waitid", "P_ALL reaps any child"),
)

# Python calls that install a SIGTERM handler (beyond signal.signal, found by the analysis).
PYTHON_HANDLES_SIGTERM: tuple[Api, ...] = (
    Api("uvicorn.Server", "runs uvicorn.Server, which handles SIGTERM",
        "Server.serve() captures SIGINT/SIGTERM for a graceful shutdown (uvicorn 0.29+)"),
    Api("hypercorn.asyncio.serve", "runs hypercorn, which handles SIGTERM",
        "serve() installs shutdown handlers unless shutdown_trigger is given"),
    Api("uvicorn.run", "runs uvicorn, which handles SIGTERM",
        "uvicorn.Server installs SIGINT/SIGTERM handlers for a graceful shutdown"),
    Api("hypercorn.run.run", "runs hypercorn, which handles SIGTERM",
        "hypercorn's run() installs shutdown handlers"),
    Api("aiohttp.web.run_app", "runs aiohttp's run_app, which handles SIGTERM",
        "run_app raises GracefulExit on SIGTERM (aiohttp 3.x)"),
    Api("twisted.internet.reactor.run", "runs the Twisted reactor, which handles SIGTERM",
        "the reactor installs SIGTERM/SIGINT handlers that stop it"),
    Api(".worker_main", "runs a Celery worker, which handles SIGTERM",
        "Celery workers do a warm shutdown on SIGTERM"),
    Api("scrapy.crawler.CrawlerProcess", "runs Scrapy, which handles SIGTERM",
        "CrawlerProcess installs shutdown handlers for SIGTERM and SIGINT"),
    Api("gunicorn.app.base.BaseApplication", "runs gunicorn, which handles SIGTERM",
        "the gunicorn arbiter handles SIGTERM"),
    Api("gunicorn.app.wsgiapp.run", "runs gunicorn, which handles SIGTERM",
        "the gunicorn arbiter handles SIGTERM"),
)  # fmt: skip

# Python calls whose signal handling depends on arguments initlint cannot read: when the
# entry reaches one of them, SIGTERM handling is unknown and IL202 stays quiet.
PYTHON_UNKNOWN_SIGTERM: tuple[Api, ...] = (
    Api("django.core.management.execute_from_command_line",
        "runs a Django management command",
        "runserver's autoreloader handles SIGTERM; other commands do not"),
    Api("django.core.management.call_command", "runs a Django management command",
        "depends on the command"),
    Api("streamlit.web.bootstrap.run", "runs streamlit", "tornado-based, not verified"),
    Api("click.main", "runs a click command", "the command is not known"),
)  # fmt: skip

# Node modules.
NODE_SPAWN_MODULES: tuple[Api, ...] = (
    Api("child_process", "starts subprocesses with child_process", "spawn/exec/fork"),
    Api("execa", "starts subprocesses with execa", "wraps child_process"),
    Api("cross-spawn", "starts subprocesses with cross-spawn", "wraps child_process"),
    Api("cluster", "starts worker processes with cluster", "cluster.fork()"),
    Api("node-pty", "starts programs on a pty with node-pty", "forks a pty"),
)
NODE_ORPHAN_MODULES: tuple[Api, ...] = (
    Api("puppeteer", "starts headless Chromium with puppeteer",
        "Chromium's renderer and zygote processes are orphaned to PID 1 (puppeteer's "
        "troubleshooting guide recommends an init such as dumb-init)"),
    Api("puppeteer-core", "starts headless Chromium with puppeteer-core", "as puppeteer"),
    Api("playwright", "starts browsers with playwright", "browser helper processes"),
    Api("playwright-core", "starts browsers with playwright-core", "as playwright"),
    Api("@playwright/test", "starts browsers with playwright", "as playwright"),
    Api("selenium-webdriver", "starts browsers with selenium-webdriver", "driver + browser"),
)  # fmt: skip
# Node calls that install SIGTERM handling in a library.
NODE_HANDLES_SIGTERM: tuple[Api, ...] = (
    Api(
        ".enableShutdownHooks",
        "enables NestJS shutdown hooks, which handle SIGTERM",
        "NestJS app.enableShutdownHooks() listens for SIGTERM",
    ),
)


class InitOptionParsing(NamedTuple):
    """How an init reads its own options: does it stop at the program's name?"""

    names: tuple[str, ...]
    stops_at_program: bool
    reason: str


# Measured on Debian 12 (tini 0.19.0, dumb-init 1.2.5): `tini echo -v` takes -v as its own
# option (GNU getopt permutes), `dumb-init echo -v` prints -v.
INIT_OPTION_PARSING: tuple[InitOptionParsing, ...] = (
    InitOptionParsing(("tini", "tini-static", "docker-init"), False,
                      "tini uses getopt without '+': options after the program are tini's"),
    InitOptionParsing(("dumb-init",), True, "dumb-init stops at the first non-option"),
    InitOptionParsing(("initlint-init",), True, "stops at the first non-option (tested)"),
    InitOptionParsing(("catatonit",), True, "stops at the first non-option"),
)  # fmt: skip

# Package names whose installation puts an init in the image (IL203 "installed but unused").
INIT_PACKAGES: dict[str, str] = {
    "tini": "tini",
    "tini-static": "tini",
    "dumb-init": "dumb-init",
    "catatonit": "catatonit",
}

# Where programs named without a slash are looked up when the image sets no PATH (the
# default PATH of Docker images).
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def by_name(apis: tuple[Api, ...]) -> dict[str, Api]:
    return {api.name: api for api in apis}
