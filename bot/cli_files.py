"""Where planbot puts the files it makes when nobody named one: `files/` in the data directory
(PLANBOT_DATA_DIR, `data` by default), never the current directory. An existing file is never
overwritten: the next free `name-2.ext`, `name-3.ext`, … is used."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from bot.config import Settings


def files_dir(settings: Settings) -> Path:
    return settings.data_dir / "files"


def _candidates(folder: Path, filename: str) -> Iterator[Path]:
    name = Path(filename).name or "file"  # a name only: no directory part is honoured
    stem, suffix = Path(name).stem, Path(name).suffix
    yield folder / name
    n = 2
    while True:
        yield folder / f"{stem}-{n}{suffix}"
        n += 1


def save_new(folder: Path, filename: str, content: bytes) -> Path:
    """Write `content` to a new file in `folder` (made when missing) named after `filename`."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in _candidates(folder, filename):
        try:
            with path.open("xb") as handle:
                handle.write(content)
            return path
        except FileExistsError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def new_path(folder: Path, filename: str) -> Path:
    """A path in `folder` (made when missing) named after `filename` that no file has yet."""
    folder.mkdir(parents=True, exist_ok=True)
    return next(path for path in _candidates(folder, filename) if not path.exists())
