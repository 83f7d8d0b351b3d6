"""What every flow run shares: who is acting (for the audit log), and how a run that is refused
ends — in Vietnamese, without a traceback."""

from __future__ import annotations

import functools
import inspect
import sqlite3
import typing
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from prefect import get_run_logger, task
from prefect.client.schemas.objects import State
from prefect.runtime import flow_run
from prefect.states import Failed
from sqlalchemy.exc import DBAPIError

from models.errors import ChidaoError
from models.faults import as_fault

P = ParamSpec("P")
R = TypeVar("R")


def actor() -> str:
    return f"prefect:{flow_run.id}" if flow_run.id else "chidao"


def refusing(body: Callable[P, R]) -> Callable[P, R]:
    """Wrap a flow's or a task's body: a refusal (bad input, a state that does not allow it, a
    full disk …) is logged as its Vietnamese lines and ends the run Failed with them; the
    caller — the command line, another flow — gets the same error back to report."""

    @functools.wraps(body)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return body(*args, **kwargs)
        except ChidaoError as error:
            return _refused(error)
        except (OSError, DBAPIError, sqlite3.DatabaseError) as error:
            fault = as_fault(error)
            if fault is None:
                raise
            return _refused(fault)

    # Prefect reads the parameters' types from the function it is given, in that function's
    # module: give it the body's signature with its annotations already resolved.
    run.__signature__ = inspect.signature(body, eval_str=True)  # type: ignore[attr-defined]
    run.__annotations__ = typing.get_type_hints(body)
    return run


def step(**options: Any) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """A Prefect task (OPTIONS as for @task) whose refusal ends its own run Failed in Vietnamese
    (see refusing) and is raised again in the flow that called it, so that the flow is refused
    too: Prefect hands a task's returned Failed state to its caller as a value."""

    def wrap(body: Callable[P, R]) -> Callable[P, R]:
        run = task(**options)(refusing(body))

        @functools.wraps(body)
        def call(*args: P.args, **kwargs: P.kwargs) -> R:
            done: Any = run(*args, **kwargs)
            if isinstance(done, State):
                return done.result()  # type: ignore[no-any-return]  # raises the refusal
            return done  # type: ignore[no-any-return]

        return call

    return wrap


def _refused(error: ChidaoError) -> Any:
    logger = get_run_logger()
    for problem in error.problems:
        logger.error("Lỗi: %s", problem)
    return Failed(message=str(error), data=error)
