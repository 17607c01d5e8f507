"""sitegen: static-site generator for media-literacy explainers."""

__version__ = "0.1.0"
