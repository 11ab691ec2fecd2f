"""The one error of backup and restore: its message is shown to the operator as it is."""


class BackupError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
