"""The YAML loader: duplicate keys and impossible dates are errors naming file and line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.config import load_site_config, load_yaml
from generator.errors import ConfigError
from tests.conftest import ROOT, SITE_URL_VARIABLE


def _load(tmp_path: Path, text: str) -> object:
    path = tmp_path / "x.yml"
    path.write_text(text, encoding="utf-8")
    return load_yaml(path)


def test_a_key_given_twice_is_an_error_at_its_second_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as error:
        _load(tmp_path, "a:\n  b: 1\n  c: 2\n  b: 3\n")
    assert str(error.value) == f"{tmp_path / 'x.yml'}:4: key 'b' appears twice (first on line 2)"


def test_merged_keys_may_be_overridden(tmp_path: Path) -> None:
    text = "base: &base\n  a: 1\n  b: 2\nchild:\n  <<: *base\n  b: 3\n"
    assert _load(tmp_path, text) == {"base": {"a": 1, "b": 2}, "child": {"a": 1, "b": 3}}


def test_dates_are_read_and_impossible_ones_refused(tmp_path: Path) -> None:
    assert _load(tmp_path, "d: 2024-02-29\n") == {"d": dt.date(2024, 2, 29)}
    with pytest.raises(ConfigError, match=r"x\.yml:1: '2025-02-29' is not a date that exists$"):
        _load(tmp_path, "d: 2025-02-29\n")


def test_site_url_comes_from_the_environment_else_the_local_preview(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(SITE_URL_VARIABLE, raising=False)
    assert load_site_config(ROOT / "mkdocs.yml").site_url == "http://127.0.0.1:8000/"
    monkeypatch.setenv(SITE_URL_VARIABLE, "https://someone.github.io/trail")
    assert load_site_config(ROOT / "mkdocs.yml").site_url == "https://someone.github.io/trail/"
