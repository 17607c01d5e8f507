"""Loaded by the fork server that starts a build's PDF workers (``workers.Workers`` with
``pdf_only``): WeasyPrint, about a second to load, is loaded there once while the build
itself reads and renders its articles, and every worker forked from that server starts
with it, and with the PDF task's code (``job``), instead of each loading them in turn.

A machine without WeasyPrint's system libraries is told so by the first PDF, as without
this (``pdf.warm_up``).
"""

from sitegen.build import job
from sitegen.theme import pdf

pdf.warm_up()

__all__ = ["job"]
