"""`python -m portal`: the portal under uvicorn, where CHIDAO_WEB_HOST/PORT say."""

from __future__ import annotations

import uvicorn

from models.settings import settings
from portal.app import create_app


def main() -> None:
    config = settings()
    uvicorn.run(
        create_app(),
        host=config.web_host,
        port=config.web_port,
        log_level="warning",
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
    )


if __name__ == "__main__":
    main()
