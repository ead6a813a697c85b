"""Load the configuration once, into frozen values passed explicitly to every stage.

`site_name` and `site_url` come from `mkdocs.yml`; the generator's own settings live under its
`extra:` key (`extra.generator`); each dump's collection is described in `dumps/manifest.yml`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml_env_tag import construct_env_tag

from generator.errors import ConfigError
from generator.urls import make_slug

MANIFEST_NAME = "manifest.yml"


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """What the generator needs to know about the site it writes for."""

    site_name: str
    site_url: str
    feed_size: int = 50
    newest_on_home: int = 12
    page_size: int = 100


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    """The curator's description of one dump: its collection's title, description and capture date."""

    title: str
    description: str
    captured: dt.date
    slug: str | None = None
    source_url: str | None = None


_MERGE_TAG = "tag:yaml.org,2002:merge"


class _ValueProblem(yaml.MarkedYAMLError):
    """Well-formed YAML holding a value the generator cannot take, at the value's line."""

    def __init__(self, problem: str, node: yaml.Node) -> None:
        super().__init__(problem=problem, problem_mark=node.start_mark)


class _Loader(yaml.SafeLoader):
    """A safe loader that reads tags it does not know (`!!python/name:...`) as plain values and
    refuses what PyYAML lets through: a key twice in one mapping (PyYAML keeps the last, so the
    first is lost unseen) and a date that does not exist (PyYAML raises a bare ValueError)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        seen: dict[Hashable, yaml.Node] = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE_TAG:  # "<<: *defaults": keys given here override those
                continue
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, Hashable) and key in seen:
                first = seen[key].start_mark.line + 1
                raise _ValueProblem(f"key {key!r} appears twice (first on line {first})", key_node)
            seen[key] = key_node
        return super().construct_mapping(node, deep=deep)


def _construct_unknown(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> dt.date:
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        raise _ValueProblem(f"{node.value!r} is not a date that exists", node) from None


_Loader.add_multi_constructor("", _construct_unknown)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
# MkDocs' own `!ENV [NAME, default]`: `site_url` comes from the environment where it is set.
_Loader.add_constructor("!ENV", construct_env_tag)


def load_yaml(path: Path) -> Any:
    """Read a YAML file. A missing file, bytes that are not UTF-8, malformed YAML, a duplicate
    key or a date that does not exist is a ConfigError naming the file (and the line)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ConfigError(f"{path}:{line}: bytes that are not UTF-8 (save it as UTF-8)") from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(error, "problem", error)
        if isinstance(error, _ValueProblem):
            raise ConfigError(f"{where}: {problem}") from None
        raise ConfigError(f"{where}: invalid YAML: {problem}") from None


def load_site_config(mkdocs_yml: Path) -> SiteConfig:
    """Read `site_name`, `site_url` (required: feeds and the JSON export need absolute URLs)
    and `extra.generator` from `mkdocs.yml`."""
    data = load_yaml(mkdocs_yml)
    if not isinstance(data, dict):
        raise ConfigError(f"{mkdocs_yml}: expected a mapping at the top level")
    site_url = data.get("site_url")
    if not isinstance(site_url, str) or not site_url.startswith(("http://", "https://")):
        raise ConfigError(f"{mkdocs_yml}: site_url is required (an absolute http(s) URL)")
    extra = data.get("extra") or {}
    if not isinstance(extra, dict):
        raise ConfigError(f"{mkdocs_yml}: extra must be a mapping")
    extra = extra.get("generator") or {}
    if not isinstance(extra, dict):
        raise ConfigError(f"{mkdocs_yml}: extra.generator must be a mapping")
    unknown = set(extra) - {"feed_size", "newest_on_home", "page_size"}
    if unknown:
        raise ConfigError(f"{mkdocs_yml}: unknown keys in extra.generator: {sorted(unknown)}")
    return SiteConfig(
        site_name=str(data.get("site_name") or "Papers"),
        site_url=site_url if site_url.endswith("/") else site_url + "/",
        feed_size=_positive_int(extra, "feed_size", 50, mkdocs_yml),
        newest_on_home=_positive_int(extra, "newest_on_home", 12, mkdocs_yml),
        page_size=_positive_int(extra, "page_size", 100, mkdocs_yml),
    )


def load_manifest(dumps_dir: Path) -> dict[str, ManifestEntry]:
    """Read `dumps/manifest.yml` (file name -> entry). A missing manifest is an empty one."""
    path = dumps_dir / MANIFEST_NAME
    if not path.exists():
        return {}
    data = load_yaml(path) or {}
    dumps = data.get("dumps") if isinstance(data, dict) else None
    if not isinstance(dumps, dict):
        raise ConfigError(f"{path}: expected a top-level 'dumps:' mapping of file name to entry")
    entries = {str(name): _manifest_entry(path, str(name), value) for name, value in dumps.items()}
    _check_distinct(path, entries)
    return entries


def _check_distinct(path: Path, entries: dict[str, ManifestEntry]) -> None:
    """Two entries with one title or one slug would be one collection: a ConfigError names both."""
    seen: dict[tuple[str, str], str] = {}
    for name, entry in entries.items():
        for what, value in (("title", entry.title), ("slug", entry.slug or make_slug(entry.title))):
            first = seen.setdefault((what, value), name)
            if first != name:
                raise ConfigError(
                    f"{path}: {first} and {name} have one {what}, {value!r}: "
                    "each collection needs its own"
                )


def _manifest_entry(path: Path, name: str, value: Any) -> ManifestEntry:
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: {name}: expected a mapping with title, description, captured")
    unknown = set(value) - {"title", "description", "captured", "slug", "source"}
    if unknown:
        raise ConfigError(f"{path}: {name}: unknown keys {sorted(unknown)}")
    missing = [key for key in ("title", "description", "captured") if not value.get(key)]
    if missing:
        raise ConfigError(f"{path}: {name}: missing {', '.join(missing)}")
    slug = str(value["slug"]) if value.get("slug") else None
    if slug is not None and make_slug(slug) != slug:  # a slug is a path: no "../", no "index"
        raise ConfigError(f"{path}: {name}: slug {slug!r} is not a slug (try {make_slug(slug)!r})")
    captured = value["captured"]
    if not isinstance(captured, dt.date) or isinstance(captured, dt.datetime):
        raise ConfigError(
            f"{path}: {name}: captured must be a day such as 2025-03-11, without a time"
        )
    return ManifestEntry(
        title=str(value["title"]).strip(),
        description=str(value["description"]).strip(),
        captured=captured,
        slug=slug,
        source_url=str(value["source"]) if value.get("source") else None,
    )


def _positive_int(data: dict[str, Any], key: str, default: int, path: Path) -> int:
    value = data.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ConfigError(f"{path}: extra.generator.{key} must be a positive integer")
    return value
