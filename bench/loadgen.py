"""A lean HTTP/1.1 load generator: N keep-alive clients on one asyncio loop, for a fixed time.

It shares the machine with the server it measures, so it does as little as it can per
request: one pre-built request line, headers read until the blank line, the body read by
Content-Length (or chunk by chunk). Latency is measured from writing the request to
reading the last byte of the response.
"""

import asyncio
import itertools
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field


@dataclass
class Result:
    clients: int
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0  # non-2xx answers, broken connections and timeouts
    first_error: str = ""
    # Requests sent again on a new connection because the server had closed a kept-alive one
    # before answering (a keep-alive timeout, or a worker leaving): what browsers and proxies do,
    # not an error.
    retries: int = 0

    @property
    def requests(self) -> int:
        return len(self.latencies_ms)

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        index = min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered))) - 1))
        return ordered[index]


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one response; answer its status and whether the server keeps the connection."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length = None
    chunked = False
    keep_alive = True
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
        elif name == b"connection" and b"close" in value.lower():
            keep_alive = False
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length is not None:
        await reader.readexactly(length)
    else:  # no length: the body ends when the connection does
        await reader.read()
        keep_alive = False
    return status, keep_alive


async def _client(
    host: str,
    port: int,
    requests: Iterator[bytes],
    deadline: float,
    result: Result,
    measuring: Callable[[], bool],
    timeout: float,
) -> None:
    reader = writer = None
    reused = False
    retry = None
    while time.perf_counter() < deadline:
        request = retry or next(requests)
        retry = None
        try:
            if writer is None:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection(host, port), timeout
                )
                reused = False
            started = time.perf_counter()
            writer.write(request)
            status, keep_alive = await asyncio.wait_for(_read_response(reader), timeout)
            elapsed = (time.perf_counter() - started) * 1000
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as error:
            closed_before_answering = isinstance(error, ConnectionResetError) or (
                isinstance(error, asyncio.IncompleteReadError) and not error.partial
            )
            if reused and closed_before_answering:
                retry = request  # the server closed a kept-alive connection: send it again
                if measuring():
                    result.retries += 1
            elif measuring():
                result.errors += 1
                result.first_error = result.first_error or repr(error)
            if writer is not None:
                writer.close()
            reader = writer = None
            continue
        reused = True
        if measuring():
            result.latencies_ms.append(elapsed)
            result.statuses[status] = result.statuses.get(status, 0) + 1
            if not 200 <= status < 300:
                result.errors += 1
                result.first_error = result.first_error or f"HTTP {status}"
        if not keep_alive:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


def build_request(host: str, port: int, path: str, cookie: str = "") -> bytes:
    lines = [
        f"GET {path} HTTP/1.1",
        f"Host: {host}:{port}",
        "Connection: keep-alive",
        "Accept: text/html",
        "User-Agent: selfdirect-bench",
    ]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def run_load(
    host: str,
    port: int,
    requests: list[bytes],
    *,
    clients: int,
    seconds: float,
    warmup: float = 2.0,
    timeout: float = 30.0,
) -> Result:
    """Run `clients` keep-alive connections for `warmup` + `seconds`; measure the last part.

    Each client walks the request list from its own starting point, round and round.
    """
    result = Result(clients=clients, seconds=seconds)

    async def main():
        start = time.perf_counter()
        measure_from = start + warmup
        deadline = measure_from + seconds

        def measuring() -> bool:  # answers after the deadline are not counted
            return measure_from <= time.perf_counter() < deadline

        tasks = []
        for index in range(clients):
            offset = index * len(requests) // max(clients, 1)
            cycle = itertools.cycle(requests[offset:] + requests[:offset])
            tasks.append(
                asyncio.create_task(
                    _client(host, port, cycle, deadline, result, measuring, timeout)
                )
            )
        await asyncio.gather(*tasks)

    asyncio.run(main())
    return result
