"""REVIEWTOOL_INLINE_WORKER: on by default in development only, never in testing."""

from pathlib import Path

import pytest

from reviewtool.config import ConfigError, load_settings

KEY = "a-production-secret-of-32-chars!"


def inline(**env: str) -> bool:
    return load_settings({"SECRET_KEY": KEY, **env},
                         instance_path=Path("/srv/rt")).inline_worker


@pytest.mark.parametrize(("environment", "expected"), [
    ("development", True), ("production", False), ("testing", False)])
def test_inline_worker_default_depends_on_environment(environment, expected):
    assert inline(REVIEWTOOL_ENV=environment) is expected


@pytest.mark.parametrize(("environment", "value", "expected"), [
    ("development", "0", False), ("production", "1", True), ("development", "", True)])
def test_inline_worker_setting_overrides_default(environment, value, expected):
    assert inline(REVIEWTOOL_ENV=environment, REVIEWTOOL_INLINE_WORKER=value) is expected


@pytest.mark.parametrize("value", ["yes", "true", "2", " 1"])
def test_inline_worker_not_0_or_1_raises_config_error(value):
    with pytest.raises(ConfigError) as caught:
        inline(REVIEWTOOL_INLINE_WORKER=value)
    assert str(caught.value) == f"REVIEWTOOL_INLINE_WORKER must be 0 or 1, not {value!r}"


def test_inline_worker_on_in_testing_raises_config_error():
    with pytest.raises(ConfigError) as caught:
        inline(REVIEWTOOL_ENV="testing", REVIEWTOOL_INLINE_WORKER="1")
    assert str(caught.value) == (
        "REVIEWTOOL_INLINE_WORKER=1 cannot be used with REVIEWTOOL_ENV=testing")
