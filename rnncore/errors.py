"""The one exception users see: its message is a single line saying what is wrong and what to do."""


class RnnError(ValueError):
    """Bad input (file, shape, value or option). The CLI prints it as one line and exits 2."""
