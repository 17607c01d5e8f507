"""Mutation fuzzing: broken copies of the fixture sites get content errors, never a traceback.

Each case mutates one file of a fixture site (bytes flipped, lines deleted, duplicated or
swapped, YAML punctuation and hostile values inserted) and runs ``check`` in-process: only
``ContentErrors`` may come out. The seed is fixed, so a failure is reproduced by its number.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FIXTURES

from sitegen.build.builder import check
from sitegen.errors import ContentErrors

SITES = ("mini", "handout-letter", "handout-noquestions", "serve-site")
CASES = 200
SEED = 20251128

# Values that broke sitegen once, and their relatives.
HOSTILE = (
    "https://[lien à retrouver]", "https://[::1", "http://a:99999999/", "[x](https://[::1)",
    "<https://[::1>", "9" * 5000, "-" + "9" * 5000, "1e999999", "0x" + "f" * 5000, ".nan",
    "\x00", "\x1b[31m", "\u202e", "\ud800", "\t", "---", "...", "> " * 40 + "x",
    "- " * 40 + "x", "![x](https://example.org/x.png)", "[x](javascript:alert(1))",
    "2025-02-30", "2025-13", "~", "null", "yes", "!!binary aGk=", "&a x", "*a", "<<: {}",
    "? [a, b]\n: c", "{", "[", "|", ">", "'", '"', "#", "%YAML 1.1", "@", "`", "\\",
)
PUNCTUATION = (": ", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "!!str ", "|", ">", "#",
               "'", '"', "? ", "\t", "  ", "\n", "---\n")


def _flip(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    i = rng.randrange(len(data))
    return data[:i] + bytes([data[i] ^ (1 << rng.randrange(8))]) + data[i + 1:]


def _lines(edit: Callable[[list[bytes], int], None]) -> Callable[[bytes, random.Random], bytes]:
    def mutate(data: bytes, rng: random.Random) -> bytes:
        lines = data.split(b"\n")
        edit(lines, rng.randrange(len(lines)))
        return b"\n".join(lines)
    return mutate


def _insert(choices: tuple[str, ...]) -> Callable[[bytes, random.Random], bytes]:
    def mutate(data: bytes, rng: random.Random) -> bytes:
        i = rng.randrange(len(data) + 1)
        return data[:i] + rng.choice(choices).encode("utf-8", "surrogatepass") + data[i:]
    return mutate


def _swap(lines: list[bytes], i: int) -> None:
    j = min(i + 1, len(lines) - 1)
    lines[i], lines[j] = lines[j], lines[i]


def _replace_value(data: bytes, rng: random.Random) -> bytes:
    """A YAML value (after ': ') replaced by a hostile one."""
    lines = data.split(b"\n")
    keyed = [i for i, line in enumerate(lines) if b": " in line]
    if not keyed:
        return data
    i = rng.choice(keyed)
    key = lines[i].split(b": ", 1)[0]
    lines[i] = key + b": " + rng.choice(HOSTILE).encode("utf-8", "surrogatepass")
    return b"\n".join(lines)


MUTATIONS: tuple[Callable[[bytes, random.Random], bytes], ...] = (
    _flip,
    _lines(lambda lines, i: lines.pop(i) and None),
    _lines(lambda lines, i: lines.insert(i, lines[i])),
    _lines(_swap),
    _insert(PUNCTUATION),
    _insert(HOSTILE),
    _replace_value,
    _replace_value,
)


def _mutate(files: dict[Path, bytes], rng: random.Random) -> tuple[Path, bytes]:
    path = rng.choice(sorted(files))
    data = files[path]
    for _ in range(rng.randint(1, 3)):
        data = rng.choice(MUTATIONS)(data, rng)
    return path, data


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("fuzz")
    copies = {}
    for name in SITES:
        copies[name] = root / name
        shutil.copytree(FIXTURES / name, copies[name])
    return copies


def test_mutated_sites_get_content_errors_not_tracebacks(sites: dict[str, Path]) -> None:
    rng = random.Random(SEED)
    for case in range(CASES):
        name = rng.choice(SITES)
        content = sites[name]
        files = {p: p.read_bytes() for p in content.rglob("*") if p.is_file()}
        path, data = _mutate(files, rng)
        path.write_bytes(data)
        try:
            check(content)
        except ContentErrors:
            pass
        except Exception as exc:  # anything else is a bug: say how to reproduce it
            raise AssertionError(f"case {case}: {path.relative_to(content.parent)} mutated to "
                                 f"{data[:2000]!r} raised {exc!r}") from exc
        finally:
            path.write_bytes(files[path])
