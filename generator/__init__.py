"""brief: structured policy-brief content → one print-ready PDF per audience and language."""

__version__ = "0.1.0"
