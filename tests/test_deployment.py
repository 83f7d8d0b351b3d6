"""prefect.yaml deploys for real, and the run forms speak Vietnamese."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import WorkPoolCreate

from tests.conftest import ROOT


def test_prefect_yaml_deploys_with_vietnamese_form_titles(prefect_api: str) -> None:
    async def create_pool() -> None:
        async with get_client() as client:
            await client.create_work_pool(
                WorkPoolCreate(name="chidao", type="process"), overwrite=True
            )

    asyncio.run(create_pool())
    prefect = Path(sys.executable).with_name("prefect")
    result = subprocess.run(
        [str(prefect), "--no-prompt", "deploy", "--all"],
        cwd=ROOT,
        env={**os.environ, "PREFECT_API_URL": prefect_api, "PWD": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr

    async def read() -> dict[str, dict[str, str]]:
        async with get_client() as client:
            return {
                d.name: {
                    name: prop["title"]
                    for name, prop in d.parameter_openapi_schema["properties"].items()
                }
                for d in await client.read_deployments()
            }

    forms = asyncio.run(read())

    async def schedule() -> tuple[str, str | None]:
        async with get_client() as client:
            deployment = await client.read_deployment_by_name("Quét hạn/quet-han")
            cron = deployment.schedules[0].schedule
            return getattr(cron, "cron", ""), getattr(cron, "timezone", None)

    # The escalation pass runs on weekday mornings, Vietnam time.
    assert asyncio.run(schedule()) == ("30 7 * * 1-5", "Asia/Ho_Chi_Minh")
    assert forms["quet-han"] == {"as_of": "Ngày quét", "auto_release": "Phát hành ngay"}
    assert forms["tong-hop-bao-cao"] == {
        "ref": "Mã hoặc số hiệu văn bản chỉ đạo",
        "as_of": "Tổng hợp đến ngày",
        "auto_release": "Phát hành ngay",
    }
    assert forms["phat-hanh"] == {
        "spec_path": "Tệp mô tả văn bản (YAML)",
        "spec": "Nội dung văn bản",
        "auto_release": "Phát hành ngay",
        "lead_days": "Hạn nội bộ sớm hơn (ngày làm việc)",
    }
    assert forms["phat-hanh-van-ban"]["refs"] == "Mã hoặc số hiệu các văn bản dự thảo"
    assert forms["phat-hanh-van-ban"]["by"] == "Người phát hành"
    assert forms["nop-bao-cao"] == {
        "ref": "Mã hoặc số hiệu văn bản chỉ đạo",
        "unit": "Mã đơn vị báo cáo",
        "text": "Nội dung báo cáo",
        "item": "Mục",
        "files": "Tệp kiểm chứng",
    }
