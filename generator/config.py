"""Load the configuration once, into frozen values passed explicitly to every stage.

`site_name` and `site_url` come from `mkdocs.yml`; the generator's own settings live under its
`extra:` key (`extra.generator`); each dump's collection is described in `dumps/manifest.yml`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

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


class _TolerantLoader(yaml.SafeLoader):
    """A safe loader that reads tags it does not know (`!!python/name:...`) as plain values."""


def _construct_unknown(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_TolerantLoader.add_multi_constructor("", _construct_unknown)


def load_yaml(path: Path) -> Any:
    """Read a YAML file; a missing or malformed file is a ConfigError naming it (and the line)."""
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_TolerantLoader)  # noqa: S506 - a safe loader
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ConfigError(f"{where}: invalid YAML: {getattr(error, 'problem', error)}") from None


def load_site_config(mkdocs_yml: Path) -> SiteConfig:
    """Read `site_name`, `site_url` (required: feeds and the JSON export need absolute URLs)
    and `extra.generator` from `mkdocs.yml`."""
    data = load_yaml(mkdocs_yml)
    if not isinstance(data, dict):
        raise ConfigError(f"{mkdocs_yml}: expected a mapping at the top level")
    site_url = data.get("site_url")
    if not isinstance(site_url, str) or not site_url.startswith(("http://", "https://")):
        raise ConfigError(f"{mkdocs_yml}: site_url is required (an absolute http(s) URL)")
    extra = (data.get("extra") or {}).get("generator") or {}
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
    return {str(name): _manifest_entry(path, str(name), value) for name, value in dumps.items()}


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
    if not isinstance(captured, dt.date):
        raise ConfigError(f"{path}: {name}: captured must be a date such as 2025-03-11")
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
