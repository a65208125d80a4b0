"""Errors a user can read.

Every error that reaches a user derives from :class:`RingkasError`; its ``str()`` is one
clear line. The CLI prints it to stderr and exits with :attr:`RingkasError.exit_code`;
the window shows it in a message. Anything else escaping is a bug.
"""


class RingkasError(Exception):
    """Base class: a failure explained in one line."""

    exit_code = 2


class DocumentError(RingkasError):
    """A file could not be read as an article (missing, unsupported, corrupt, empty...)."""


class ModelError(RingkasError):
    """A model is missing, unsafe, or failed to load or run."""


class ModelNotInstalledError(ModelError):
    """No installed model serves a task; carries the exact command that installs one."""

    def __init__(self, task: str, install_hint: str):
        super().__init__(f"no {task} model is installed; install one with: {install_hint}")
        self.task = task
        self.install_hint = install_hint

    def __reduce__(self):  # pickled across the engine process's pipe with its own arguments
        return (type(self), (self.task, self.install_hint))


class InstallError(RingkasError):
    """A model install (Hub download or local add) failed; nothing was left half-installed."""

    #: True when a downloaded file failed its checksum (the installer retries it once).
    corrupt: bool = False


class CancelledError(RingkasError):
    """The user cancelled the operation."""

    exit_code = 130
