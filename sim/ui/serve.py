"""``python -m sim.app [--port N] [--host ADDRESS]``: serve the browser app.

The address is checked before Solara (and the model) is imported, so a bad one answers in one
line within a second: the port a whole number from 1 to 65535, the host a name or address that
resolves, and the pair free to bind (not in use by another server, not an address of another
machine). A test bind uses ``SO_REUSEADDR`` as the server will, so a port in TIME_WAIT after a
previous app passes.
"""

from __future__ import annotations

import errno
import socket
import sys

from sim.base.cli import OneLineParser, fail

DEFAULT_PORT = 8765
DEFAULT_HOST = "127.0.0.1"
_HOSTS = "e.g. --host 127.0.0.1 (this machine only) or --host 0.0.0.0 (every interface)"


def _port(text: str) -> int:
    import argparse

    fix = f"give a port from 1 to 65535, e.g. --port {DEFAULT_PORT}"
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number; {fix}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is out of range; {fix}")
    return port


def address_problem(host: str, port: int) -> str | None:
    """Why the app cannot listen on (host, port), as one line naming the fix; or None."""
    try:
        family, kind, proto, _, addr = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError) as exc:
        why = getattr(exc, "strerror", None) or str(exc)
        return f"--host {host} cannot be resolved ({why}); give a name or address of this " \
               f"machine, {_HOSTS}"
    try:
        with socket.socket(family, kind, proto) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(addr)
    except PermissionError:
        return f"--port {port} needs administrator rights (a port below 1024); choose one " \
               f"from 1024 to 65535, e.g. --port {DEFAULT_PORT}"
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            other = port + 1 if port < 65535 else DEFAULT_PORT
            return f"port {port} on {host} is already in use (another app or server); stop " \
                   f"it, or choose another port, e.g. --port {other}"
        return f"--host {host} cannot be listened on ({exc.strerror or exc}): not an " \
               f"address of this machine; give one, {_HOSTS}"
    return None


def parse(argv: list[str] | None = None):
    ap = OneLineParser(prog="python -m sim.app",
                       description="Serve the browser app (Mesa SolaraViz).")
    ap.add_argument("--port", type=_port, default=DEFAULT_PORT,
                    help=f"port, 1 to 65535 (default {DEFAULT_PORT})")
    ap.add_argument("--host", default=DEFAULT_HOST,
                    help=f"address to listen on (default {DEFAULT_HOST}; 0.0.0.0: every "
                         f"interface)")
    args = ap.parse_args(argv)
    problem = address_problem(args.host, args.port)
    if problem:
        fail(problem)
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    import warnings

    from solara.__main__ import main as solara_main

    # Plain http on 127.0.0.1: Solara's note about samesite cookies does not apply.
    warnings.filterwarnings("ignore", message="Cookies with samesite")

    import threading

    from sim.ui.classroom import warm

    threading.Thread(target=warm, name="greyzone-warm", daemon=True).start()
    print(f"greyzone app: open http://{args.host}:{args.port}/ (Ctrl-C stops it); the "
          f"teacher's view: http://{args.host}:{args.port}/teacher", flush=True)
    sys.argv = ["solara", "run", "sim.ui.app", "--host", args.host, "--port", str(args.port),
                "--production", "--no-open", "--no-check-version", "--log-level", "warning"]
    solara_main()
