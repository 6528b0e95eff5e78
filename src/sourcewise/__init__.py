"""sourcewise: decide whether, where and with whom to outsource or offshore a function."""

__version__ = "0.1.0"
