"""Where the workers run: in this process, in a pool of processes, or on a Dask cluster."""

import ctypes
import os
import signal
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from multiprocessing import get_context

from threadpoolctl import threadpool_limits

from ..sandbox.kernel_manager import THREAD_VARIABLES
from .worker import grade_one

PR_SET_PDEATHSIG = 1  # prctl(2)


def blas_threads(jobs, notebooks, scheduler=None):
    """BLAS threads per notebook: this machine's cores shared among the notebooks that run at
    once; one on a Dask cluster, whose workers run one notebook per worker thread."""
    if scheduler:
        return 1
    return max(1, (os.cpu_count() or 1) // max(1, min(jobs, notebooks)))


def run(tasks, jobs, scheduler, threads):
    """Yield ((task, digest), outcome or the exception it raised) as the workers finish.
    A pool's workers get `threads` BLAS threads each, as their notebooks' kernels do."""
    if scheduler:
        from distributed import Client
        from distributed import as_completed as dask_completed

        with Client(scheduler) as client:
            futures = {client.submit(grade_one, t, pure=False): (t, d) for t, d in tasks}
            for future in dask_completed(futures):
                yield futures[future], _result(future)
    elif jobs > 1 and len(tasks) > 1:
        with _pool(jobs, threads) as pool:
            futures = {pool.submit(grade_one, t): (t, d) for t, d in tasks}
            for future in as_completed(futures):
                yield futures[future], _result(future)
    else:
        for task, digest in tasks:
            try:
                yield (task, digest), grade_one(task)
            except Exception as error:
                yield (task, digest), error


@contextmanager
def workers(jobs, scheduler, threads):
    """The same workers for tasks that come one at a time (`autograder.service`): yield
    submit(task) -> a future of grade_one(task), with `done()` and `result()`. Always other
    processes, so that a notebook never runs in the web server's. Leaving does not wait for
    the running notebooks: they end with this process, and their submissions are still queued
    in the service's database."""
    if scheduler:
        from distributed import Client

        with Client(scheduler) as client:
            yield lambda task: client.submit(grade_one, task, pure=False)
        return
    pool = _pool(max(1, jobs), threads)
    try:
        yield lambda task: pool.submit(grade_one, task)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _pool(jobs, threads):
    return ProcessPoolExecutor(
        jobs,
        mp_context=get_context("spawn"),
        initializer=start_worker,
        initargs=(os.getpid(), threads),
    )


def start_worker(parent, threads):
    """Set up a pool worker: it ends with the coordinator, and its own NumPy keeps to its
    share of the cores. The worker runs the reference's side of the hidden tests
    (`autograder.judge.expected`) while the other workers' kernels compute: with a BLAS thread
    per core in every worker, the threads waited on each other's cores, and chapter 6's `fit`
    test took 14 s of a worker's CPU instead of 0.85 s, making --jobs 2 slower than --jobs 1.
    (A Dask worker's nanny already starts it with one BLAS thread.)"""
    end_with_parent(parent)
    # The variables for a BLAS loaded later (SciPy's own), the call for NumPy's, loaded already.
    os.environ.update({variable: str(threads) for variable in THREAD_VARIABLES})
    threadpool_limits(threads, user_api="blas")


def end_with_parent(parent):
    """Make a pool worker end when the coordinator does, killed or not, so that no worker
    goes on grading into OUT_DIR behind a batch that is resumed (Linux; elsewhere a no-op)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the coordinator died while this worker was starting
        os.kill(os.getpid(), signal.SIGTERM)


def _result(future):
    try:
        return future.result()
    except Exception as error:
        return error
