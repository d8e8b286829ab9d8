"""The kernel manager of a graded notebook: its kernel, and only its kernel, gets the notebook's
settings (the student's seed, the BLAS threads, the plotting backend) in its environment.

Several notebooks can be graded at once in one process (the threads of a Dask worker), so
nothing about one notebook may go through the grading process's own `os.environ`: each
notebook's configuration carries its `kernel_env` to the kernel manager nbclient makes for it.
"""

import os

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from traitlets import Dict, Type

from ..course.paths import REPO
from .kernel_client import PromptKernelClient

# NumPy's BLAS starts a thread per core in every kernel: N notebooks at once on N cores would
# run N x N threads, and their spinning made chapter 2 2.3 times slower at --jobs 2 here.
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


class GradingKernelManager(AsyncKernelManager):
    """A kernel with this notebook's environment (unsandboxed: `grade --sandbox none`)."""

    kernel_env = Dict(help="environment variables of this notebook's kernel").tag(config=True)
    client_factory = Type(PromptKernelClient, klass=AsyncKernelClient)

    async def _async_pre_start_kernel(self, **kw):
        kernel_cmd, kw = await super()._async_pre_start_kernel(**kw)
        kw["env"] = {**kw.get("env", os.environ), **self.environment()}
        return kernel_cmd, kw

    def environment(self):
        """What the kernel's environment adds to the grader's."""
        # The hidden tests import `autograder.kernel` from the repository.
        python_path = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
        return {
            "PYTHONPATH": os.pathsep.join(dict.fromkeys([str(REPO), *python_path])),
            "MPLBACKEND": "Agg",
            **self.kernel_env,
        }
