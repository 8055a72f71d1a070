"""The bounded load test of `svengine serve` (issue 16): loopback only, fixed clients, fixed time.

    python -m benchmarks.service_load [--clients 16] [--seconds 30] [--bids 30]

Starts the service on 127.0.0.1 (a free port, in a subprocess stopped by its own pid), posts the
same 30-bid `POST /v1/evaluate` body from `--clients` threads, each on its own keep-alive
connection, for `--seconds` (and never more than `--max-requests` requests in all), and prints:
errors (any status but 200, any answer that differs from the in-process result), the server's RSS
before and after, p50/p99 latency, throughput, and the in-process `evaluate_documents` time of
the same request measured in the same run. The numbers are recorded in docs/performance.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.generate import write_evaluation
from svengine.api_json import dumps, evaluate_documents, folder_documents

HOST = "127.0.0.1"  # loopback only: the test never binds or calls anything else


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _rss_kib(pid: int) -> int:
    """The resident set size of a process and its child processes (uvicorn's workers), from /proc."""
    total = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            total = int(line.split()[1])
            break
    else:
        raise RuntimeError(f"no VmRSS for process {pid}")
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        total += sum(_rss_kib(int(child)) for child in children.read_text().split())
    return total


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
    return ordered[index]


def _wait_ready(port: int, process: subprocess.Popen[bytes]) -> None:
    for _ in range(400):  # bounded: 20 s at most
        if process.poll() is not None:
            raise RuntimeError("the service exited before answering /healthz")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=1)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                connection.close()
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError("the service did not answer /healthz within 20 s")


def _post(connection: http.client.HTTPConnection, body: bytes) -> tuple[int, bytes]:
    connection.request(
        "POST", "/v1/evaluate", body=body, headers={"content-type": "application/json"}
    )
    answer = connection.getresponse()
    return answer.status, answer.read()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.service_load")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--bids", type=int, default=30)
    parser.add_argument("--max-requests", type=int, default=100_000)
    parser.add_argument("--in-process-runs", type=int, default=30)
    parser.add_argument("--workers", type=int, default=1, help="svengine serve --workers")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="svengine-load-") as temporary:
        folder = write_evaluation(Path(temporary) / "tender", bids=args.bids, evaluators=1)
        documents = folder_documents(folder)
    body = dumps(documents).encode("utf-8")
    expected_json = evaluate_documents(**documents).to_json()
    expected = json.loads(expected_json)
    expected.pop("audit", None)

    # The in-process time of the same request: documents -> Result -> result.json text.
    in_process: list[float] = []
    for _ in range(args.in_process_runs):
        start = time.perf_counter()
        evaluate_documents(**documents).to_json()
        in_process.append(time.perf_counter() - start)

    port = _free_port()
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "svengine", "serve", "--host", HOST, "--port", str(port)),
            *("--workers", str(args.workers)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    try:
        _wait_ready(port, process)
        warm = http.client.HTTPConnection(HOST, port, timeout=120)
        for _ in range(3):  # warm-up, not counted: imports, first-call caches
            status, _answer = _post(warm, body)
            if status != 200:
                raise RuntimeError(f"warm-up answered {status}")
        warm.close()
        rss_before = _rss_kib(process.pid)
        stop_at = time.perf_counter() + args.seconds
        budget = [args.max_requests]

        def client() -> None:
            connection = http.client.HTTPConnection(HOST, port, timeout=120)
            try:
                while time.perf_counter() < stop_at:
                    with lock:
                        if budget[0] <= 0:
                            return
                        budget[0] -= 1
                    start = time.perf_counter()
                    try:
                        status, answer = _post(connection, body)
                    except (OSError, http.client.HTTPException) as error:
                        with lock:
                            errors.append(f"{type(error).__name__}: {error}")
                        connection.close()
                        connection = http.client.HTTPConnection(HOST, port, timeout=120)
                        continue
                    elapsed = time.perf_counter() - start
                    problem = None
                    if status != 200:
                        problem = f"status {status}"
                    else:
                        got = json.loads(answer)
                        got.pop("audit", None)
                        if got != expected:
                            problem = "an answer differs from the in-process result"
                    with lock:
                        latencies.append(elapsed)
                        if problem:
                            errors.append(problem)
            finally:
                connection.close()

        began = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - began
        rss_after = _rss_kib(process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    median_in_process = statistics.median(in_process)
    p50, p99 = _percentile(latencies, 0.50), _percentile(latencies, 0.99)
    report = {
        "clients": args.clients,
        "workers": args.workers,
        "seconds": round(wall, 1),
        "bids_per_request": args.bids,
        "request_bytes": len(body),
        "requests": len(latencies),
        "errors": len(errors),
        "first_errors": errors[:5],
        "throughput_per_s": round(len(latencies) / wall, 2),
        "p50_ms": round(p50 * 1000, 1),
        "p99_ms": round(p99 * 1000, 1),
        "in_process_median_ms": round(median_in_process * 1000, 1),
        "p99_over_in_process_median": round(p99 / median_in_process, 2),
        "server_rss_kib_before": rss_before,
        "server_rss_kib_after": rss_after,
        "cpus": os.cpu_count(),
    }
    print(json.dumps(report, indent=2))
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
