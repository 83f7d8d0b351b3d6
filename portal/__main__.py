"""`python -m portal`: the portal under uvicorn, where CHIDAO_WEB_HOST/PORT say, in
CHIDAO_WEB_WORKERS processes."""

from __future__ import annotations

import socket
import threading
from typing import TypedDict

import uvicorn
from uvicorn.supervisors import Multiprocess

from models.settings import settings
from portal.app import create_app, outbox_rounds


class _Served(TypedDict):
    host: str
    port: int
    log_level: str
    proxy_headers: bool
    forwarded_allow_ips: str


def _served() -> _Served:
    config = settings()
    return _Served(
        host=config.web_host,
        port=config.web_port,
        log_level="warning",
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
    )


def main() -> None:
    config = settings()
    if config.web_workers == 1:
        uvicorn.run(create_app(), **_served())
        return
    several = uvicorn.Config(
        "portal.app:worker_app", factory=True, workers=config.web_workers, **_served()
    )
    listening = several.bind_socket()
    # Connections inherit this from the listening socket. Without it (uvicorn's own socket for
    # several workers lacks it) a response written in two parts waits ~40 ms for the
    # browser's delayed acknowledgement.
    listening.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    stop = threading.Event()
    # One sender for all the processes, so an email is not raced for by two of them.
    threading.Thread(target=outbox_rounds, args=(stop,), daemon=True).start()
    try:
        Multiprocess(several, sockets=[listening]).run()
    finally:
        stop.set()


if __name__ == "__main__":
    main()
