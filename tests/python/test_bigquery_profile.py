"""profiles.yml.example's bigquery target, rendered as dbt renders it.

dbt's own profile reader and renderer turn the example into dbt-bigquery's
credentials; nothing talks to BigQuery. The byte cap must reach the credentials
as a number, so that every query job dbt submits carries it.
"""

from __future__ import annotations

import os
import shutil
from argparse import Namespace
from pathlib import Path

import pytest
from dbt_harness import PROJECT_DIR

BYTES_CAP_VAR = "NBA_BQ_MAXIMUM_BYTES_BILLED"
DEFAULT_BYTES_CAP = 10 * 1024**3


def rendered_bigquery_credentials(profiles_dir: Path) -> object:
    from dbt.config.profile import Profile, read_profile
    from dbt.config.renderer import ProfileRenderer
    from dbt.flags import set_from_args
    from dbt_common.context import set_invocation_context

    # what a dbt command sets before it reads the profile: its default flags,
    # and the environment env_var() reads
    set_from_args(Namespace(), None)
    set_invocation_context(dict(os.environ))
    raw_profiles = read_profile(str(profiles_dir))
    profile = Profile.from_raw_profiles(
        raw_profiles, "nba_backfill", ProfileRenderer({}), target_override="bigquery"
    )
    return profile.credentials


@pytest.fixture
def example_profiles_dir(tmp_path: Path) -> Path:
    shutil.copy(PROJECT_DIR / "profiles.yml.example", tmp_path / "profiles.yml")
    return tmp_path


def test_bytes_cap_comes_from_the_environment(
    example_profiles_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(BYTES_CAP_VAR, "123456789")
    credentials = rendered_bigquery_credentials(example_profiles_dir)
    assert credentials.maximum_bytes_billed == 123456789


def test_bytes_cap_defaults_to_ten_gib(
    example_profiles_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(BYTES_CAP_VAR, raising=False)
    credentials = rendered_bigquery_credentials(example_profiles_dir)
    assert credentials.maximum_bytes_billed == DEFAULT_BYTES_CAP
