"""Where the Monte Carlo engine's tasks run: in this process, or on a Dask cluster.

An executor takes tasks (a module-level function and its arguments, which may be handles of
earlier tasks) and hands back handles. ``local`` runs each task when its result is first needed,
in submission order, so memory stays what a plain loop would use. ``dask`` sends the tasks to a
``distributed`` cluster: a ``LocalCluster`` started for the run, or an existing scheduler
(``dask://HOST:PORT``, whose workers need sourcewise installed). Dask is imported only when
asked for: it is the optional extra ``sourcewise[dask]``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from types import TracebackType
from typing import Any, Generic, Protocol, Self, TypeVar

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

CONNECT_TIMEOUT = 10.0
"""Seconds to wait for a remote scheduler and for its first worker."""


class ExecutorError(Exception):
    """An executor that cannot be set up: an unknown name, Dask missing, a scheduler unreachable."""


class Handle(Protocol[T_co]):
    """A submitted task; ``result()`` waits for it (a Dask ``Future`` is one)."""

    def result(self) -> T_co: ...


class Executor(ABC):
    """Runs tasks; use as a context manager so a cluster started for the run is closed."""

    name: str

    @abstractmethod
    def submit(self, fn: Callable[..., T], /, *args: Any) -> Handle[T]:
        """Schedule ``fn(*args)``; handles among ``args`` (or in a list) stand for their results."""

    @abstractmethod
    def as_completed(self, handles: Iterable[Handle[Any]]) -> Iterator[Handle[Any]]:
        """Yield each handle once its task has finished, in whatever order they finish."""

    def close(self) -> None:  # noqa: B027  (nothing to release by default)
        """Release what the executor started."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


class _Deferred(Generic[T]):
    """A local task, run at most once, when its result is first asked for."""

    __slots__ = ("_args", "_done", "_fn", "_value")

    def __init__(self, fn: Callable[..., T], args: tuple[Any, ...]) -> None:
        self._fn: Callable[..., T] | None = fn
        self._args: tuple[Any, ...] = args
        self._done = False
        self._value: T | None = None

    def result(self) -> T:
        if not self._done:
            assert self._fn is not None
            self._value = self._fn(*(_resolve(a) for a in self._args))
            self._done = True
            self._fn, self._args = None, ()  # let the inputs go
        return self._value  # type: ignore[return-value]


def _resolve(value: Any) -> Any:
    if isinstance(value, _Deferred):
        return value.result()
    if isinstance(value, list | tuple) and any(isinstance(v, _Deferred) for v in value):
        return type(value)(_resolve(v) for v in value)
    return value


class LocalExecutor(Executor):
    """This process, one task after another in submission order."""

    name = "local"

    def submit(self, fn: Callable[..., T], /, *args: Any) -> Handle[T]:
        return _Deferred(fn, args)

    def as_completed(self, handles: Iterable[Handle[Any]]) -> Iterator[Handle[Any]]:
        queue = deque(handles)
        del handles
        while queue:
            handle = queue.popleft()
            handle.result()
            yield handle


class DaskExecutor(Executor):
    """A ``distributed`` client, and the ``LocalCluster`` behind it when started for the run."""

    def __init__(self, client: Any, cluster: Any = None, name: str = "dask") -> None:
        self.client = client
        self._cluster = cluster
        self.name = name

    @classmethod
    def local_cluster(
        cls, n_workers: int | None = None, processes: bool = True, threads_per_worker: int = 1
    ) -> DaskExecutor:
        """Start a ``LocalCluster`` (one worker per core by default) for this run."""
        distributed = _import_distributed()
        cluster = distributed.LocalCluster(
            n_workers=n_workers,
            processes=processes,
            threads_per_worker=threads_per_worker,
            dashboard_address=":0",  # any free port: 8787 may be taken by another cluster
        )
        try:
            client = distributed.Client(cluster)
        except BaseException:
            cluster.close()
            raise
        return cls(client, cluster, "dask")

    @classmethod
    def connect(cls, address: str, timeout: float | None = None) -> DaskExecutor:
        """Connect to a running scheduler (``tcp://HOST:PORT``) that has at least one worker."""
        distributed = _import_distributed()
        wait = CONNECT_TIMEOUT if timeout is None else timeout
        try:
            client = distributed.Client(address, timeout=wait)
        except (OSError, TimeoutError) as error:
            raise ExecutorError(f"cannot reach the Dask scheduler at {address}: {error}") from error
        try:
            client.wait_for_workers(1, timeout=wait)
        except (OSError, TimeoutError) as error:
            client.close()
            raise ExecutorError(f"the Dask scheduler at {address} has no workers") from error
        return cls(client, None, f"dask://{address.removeprefix('tcp://')}")

    def submit(self, fn: Callable[..., T], /, *args: Any) -> Handle[T]:
        future: Handle[T] = self.client.submit(fn, *args, pure=False)
        return future

    def as_completed(self, handles: Iterable[Handle[Any]]) -> Iterator[Handle[Any]]:
        yield from _import_distributed().as_completed(list(handles))

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as error:  # pragma: no cover - the dev environment has it
        raise ExecutorError(
            "the dask executor needs Dask: pip install 'sourcewise[dask]'"
        ) from error
    return distributed


def open_executor(spec: str = "local") -> Executor:
    """``local``, ``dask`` (a ``LocalCluster`` for this run) or ``dask://HOST:PORT``."""
    if spec == "local":
        return LocalExecutor()
    if spec == "dask":
        return DaskExecutor.local_cluster()
    if spec.startswith("dask://"):
        address = spec.removeprefix("dask://")
        host, _, port = address.rpartition(":")
        if not host or not port.isdigit():
            raise ExecutorError(f"expected dask://HOST:PORT, got {spec!r}")
        return DaskExecutor.connect(f"tcp://{address}")
    raise ExecutorError(f"unknown executor {spec!r}: expected local, dask or dask://HOST:PORT")


def running(executor: Executor | str | None) -> AbstractContextManager[Executor]:
    """The executor to run on: a name is opened here and closed on exit; an open executor is
    used as it is and left open for its owner; None is this process."""
    if executor is None:
        return nullcontext(LocalExecutor())
    if isinstance(executor, str):
        return open_executor(executor)
    return nullcontext(executor)
