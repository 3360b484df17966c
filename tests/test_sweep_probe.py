"""Issue 28.4 reproducers without a test before: an HTTP server or garbage at ``--scheduler`` was reported as
"out of memory" (now: it answers, but not as a Dask scheduler; exit 2 in one line, within seconds), and the
progress bar wrote to a stderr that is not a terminal (now drawn only on a terminal or in Jupyter)."""
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from scalingtheory import safe_io
from scalingtheory.cli import main


class _Hello(BaseHTTPRequestHandler):
    def do_GET(self):                                   # noqa: N802 -- http.server's name
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"hello")

    def log_message(self, *args):
        pass


def _http_server():
    server = HTTPServer(("127.0.0.1", 0), _Hello)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


def _garbage_server():
    """A port that answers every connection with bytes that are no Dask message, then closes it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)

    def serve():
        while True:
            try:
                conn = server.accept()[0]
            except OSError:
                return
            conn.sendall(b"\xff\x00garbage" * 64)
            conn.close()
    threading.Thread(target=serve, daemon=True).start()
    return server, server.getsockname()[1]


@pytest.mark.parametrize("make", [_http_server, _garbage_server])
def test_something_that_is_not_a_scheduler_is_named_so(make, tmp_path, capsys, monkeypatch):
    from scalingtheory.sweep import run as sweep_run

    monkeypatch.setattr(sweep_run, "CONNECT_TIMEOUT", 2)      # an HTTP server waits for a request line: no answer
    server, port = make()
    try:
        (tmp_path / "spec.json").write_text('{"model": "random_features", "route": "exact", "grid": {"alpha": [2], '
                                            '"beta": ["1/2"]}, "vary": {"N": [8, 16]}, "fixed": {"P": "inf", '
                                            '"t": "inf", "M": 64}, "seeds": [0, 1]}')
        start = time.monotonic()
        status = main(["sweep", str(tmp_path / "spec.json"), "--out", str(tmp_path / "out"), "--scheduler",
                       f"tcp://127.0.0.1:{port}"])
        elapsed = time.monotonic() - start
    finally:
        server.shutdown() if isinstance(server, HTTPServer) else server.close()
    err = capsys.readouterr().err
    assert status == 2 and err.count("\n") == 1 and elapsed < 15, (err, elapsed)
    assert "memory" not in err.lower() and ("not as a Dask scheduler" in err or "cannot reach a Dask scheduler" in err), err
    assert not (tmp_path / "out").exists()


def test_a_progress_bar_only_on_a_terminal_or_in_jupyter(monkeypatch):
    class Stream:
        def __init__(self, tty):
            self.tty = tty

        def isatty(self):
            return self.tty
    monkeypatch.delenv(safe_io.PROGRESS_VARIABLE, raising=False)
    monkeypatch.delitem(sys.modules, "ipykernel", raising=False)
    monkeypatch.setattr(sys, "stderr", Stream(False))
    assert not safe_io.interactive()                     # a pipe or a file: no bar (it wrote one before)
    monkeypatch.setattr(sys, "stderr", Stream(True))
    assert safe_io.interactive()
    monkeypatch.setenv(safe_io.PROGRESS_VARIABLE, "0")
    assert not safe_io.interactive()


@pytest.mark.slow
def test_a_local_sweep_beside_a_busy_dashboard_port_is_silent(tmp_path):
    """Dask printed "Port 8787 is already in use" on every sweep beside another cluster (its dashboard's
    default port): the local cluster's dashboard takes a free port. A real local sweep, 8787 held."""
    import os
    import subprocess
    from pathlib import Path

    holder = socket.socket()
    holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        holder.bind(("0.0.0.0", 8787))
        holder.listen(1)
    except OSError:
        pass                                             # held by another program already: the same situation
    try:
        (tmp_path / "spec.json").write_text('{"model": "random_features", "route": "exact", "grid": {"alpha": [2], '
                                            '"beta": ["1/2"]}, "vary": {"N": [8, 16, 32]}, "fixed": {"P": "inf", '
                                            '"t": "inf", "M": 64}, "seeds": [0, 1]}')
        env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]), OMP_NUM_THREADS="1")
        proc = subprocess.run([sys.executable, "-m", "scalingtheory", "sweep", str(tmp_path / "spec.json"), "--out",
                               str(tmp_path / "out"), "--workers", "1"], capture_output=True, text=True, env=env,
                              timeout=240)
    finally:
        holder.close()
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
