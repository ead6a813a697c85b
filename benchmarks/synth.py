"""Synthesise realistic dumps with N distinct papers, from the seed dumps' words and sentences.

The synthetic dumps copy what the seed dumps look like: the three layouts (blank-line separated
with page chrome and a date line; packed lines with "Subscribe" glued to the first title; blank
lines with a metadata block after every abstract, in about one dump in five), about 117 entries a
dump (the seed average), and the seed rate of papers listed in more than one dump (76 of 583 entries, 13%). Titles are
recombined from seed title words, abstracts from shuffled seed abstract sentences. Pure: the same
seed papers, count and random seed give the same dumps.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import yaml

from generator.model import Entry
from generator.urls import title_key

ENTRIES_PER_DUMP = 117  # the seed dumps: 583 entries in 5 dumps
DUPLICATE_RATE = 76 / 583
METADATA_EVERY = 5
CAPTURED = dt.date(2025, 12, 4)
CHROME = (
    "new",
    "Get trending papers in your email inbox!",
    "Subscribe",
    "Daily Papers",
    "byAK and the research community",
)
PACKED_CHROME = (
    "Get trending papers in your email inbox once a day!",
    "Get trending papers in your email inbox!",
)
ORGANIZATIONS = (("nvidia", "NVIDIA"), ("apple", "Apple"), ("inclusionAI", "inclusionAI"))
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9-]+")


class _PlainDumper(yaml.SafeDumper):
    """Writes repeated values out in full, as a curator would, instead of as YAML aliases."""

    def ignore_aliases(self, data: object) -> bool:
        return True


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """What synthetic papers are made of: seed title words and seed abstract sentences."""

    title_words: tuple[str, ...]
    sentences: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Paper:
    """A synthetic paper."""

    title: str
    abstract: str


def vocabulary(entries: Sequence[Entry]) -> Vocabulary:
    """The distinct title words and abstract sentences of the seed entries, in a stable order."""
    words = sorted({w for e in entries for w in _WORD.findall(e.title)})
    sentences = sorted({s for e in entries for s in _SENTENCE.split(e.abstract) if len(s) > 40})
    return Vocabulary(tuple(words), tuple(sentences))


def synthesise(vocab: Vocabulary, papers: int, seed: int = 1) -> dict[str, str]:
    """Dumps holding `papers` distinct papers, plus their `manifest.yml`: {file name: text}."""
    rng = random.Random(seed)  # noqa: S311 (reproducible test data, not secrets)
    catalogue = _papers(vocab, papers, rng)
    files: dict[str, str] = {}
    manifest: dict[str, dict[str, object]] = {}
    fresh = 0
    number = 0
    while fresh < len(catalogue):
        repeats = int(ENTRIES_PER_DUMP * DUPLICATE_RATE) if fresh else 0
        new = catalogue[fresh : fresh + ENTRIES_PER_DUMP - repeats]
        old = rng.sample(catalogue[:fresh], min(repeats, fresh))
        entries = new + old
        rng.shuffle(entries)
        name = f"{number:03d}_synthetic.txt"
        files[name] = _dump_text(entries, number, rng)
        manifest[name] = {
            "title": f"Synthetic collection {number}",
            "description": f"Dump {number} of a synthetic benchmark corpus.",
            "captured": CAPTURED,
        }
        fresh += len(new)
        number += 1
    files["manifest.yml"] = yaml.dump({"dumps": manifest}, Dumper=_PlainDumper, sort_keys=True)
    return files


def added_dump(
    vocab: Vocabulary, files: Mapping[str, str], papers: int, seed: int
) -> dict[str, str]:
    """One more dump of `papers` new papers for the dumps `files` (as `synthesise` made them),
    and the manifest naming it too: {file name: text}, to write over `files`."""
    rng = random.Random(seed)  # noqa: S311 (reproducible test data, not secrets)
    manifest = yaml.safe_load(files["manifest.yml"])["dumps"]
    number = len(manifest)
    name = f"{number:03d}_synthetic.txt"
    manifest[name] = {
        "title": f"Synthetic collection {number}",
        "description": f"Dump {number} of a synthetic benchmark corpus, added later.",
        "captured": CAPTURED + dt.timedelta(days=1),
    }
    text = _dump_text(_papers(vocab, papers, rng), number, rng)
    return {name: text, "manifest.yml": yaml.dump({"dumps": manifest}, Dumper=_PlainDumper)}


def _papers(vocab: Vocabulary, count: int, rng: random.Random) -> list[Paper]:
    keys: set[str] = set()
    papers: list[Paper] = []
    while len(papers) < count:
        title = " ".join(rng.choices(vocab.title_words, k=rng.randint(5, 11)))
        key = title_key(title)
        if key in keys:
            continue
        keys.add(key)
        abstract = " ".join(rng.sample(vocab.sentences, rng.randint(5, 10)))
        papers.append(Paper(title, abstract))
    return papers


def _dump_text(papers: Sequence[Paper], number: int, rng: random.Random) -> str:
    if number % METADATA_EVERY == METADATA_EVERY - 1:
        blocks = [f"{p.title}\n\n{p.abstract}\n\n{_metadata(rng)}" for p in papers]
        return "\n\n".join([*CHROME, "Dec 4", *blocks]) + "\n"
    if number % 2:
        lines = [line for p in papers for line in (p.title, p.abstract)]
        lines[0] = "Subscribe" + lines[0]
        return "\n".join([*PACKED_CHROME, *lines]) + "\n"
    return (
        "\n\n".join(
            [*CHROME[:3], *CHROME[4:], "Dec 4", *(f"{p.title}\n\n{p.abstract}" for p in papers)]
        )
        + "\n"
    )


def _metadata(rng: random.Random) -> str:
    if rng.random() < 0.7:
        byline = f"  • {rng.randint(1, 80)} authors"
    else:
        byline = " ".join(rng.choice(ORGANIZATIONS))
    day = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(330))
    date = f"{day:%b} {day.day}" + (f", {day.year}" if rng.random() < 0.3 else "")
    votes = f" {rng.randint(1, 200)}" if rng.random() < 0.4 else ""
    return f"{byline}\n·\n{date}{votes}"
