"""The January 2026 incident replayed through the real path: "MM:SS" gamebook
minutes coerced to NULL over a week, the original processor's game-level
fallback, the summary rebuilt for that week, and which tests turn red."""

from __future__ import annotations

from built_project import BOXSCORES, GAMEBOOK, SUMMARY, DbtHarness, statuses

# The incident week: the default sample week, inside the conftest window.
INCIDENT = {"start_date": "2022-01-10", "end_date": "2022-01-17"}
INCIDENT_DAYS = "game_date between date '2022-01-10' and date '2022-01-17'"

# ------------------------------------------------------------------ the incident

# Only integer-like strings survive, the rest turn NULL: what the generic numeric
# clean-up did to the "minutes" column before the parser ran (mmss-coercion).
COERCE_GAMEBOOK_MINUTES = (
    f"update {GAMEBOOK} set minutes = case when regexp_full_match(trim(minutes), "
    f"'[0-9]+') then minutes end where {INCIDENT_DAYS}"
)
# The original processor consulted the fallback only for games the gamebook lacked
# (game-level-fallback), so nothing filled the lost minutes: the fallback has none
# for the week.
NO_FALLBACK_FOR_THE_WEEK = f"delete from {BOXSCORES} where {INCIDENT_DAYS}"

# What the incident turns red when the runner tests the week (start_date/end_date)
# and when the whole table is tested. Everything else stays green.
INCIDENT_RED_ON_THE_WEEK = {
    "stg_gamebook_active_players_have_minutes",  # staging: active, no minutes
    "pgs_played_has_minutes",  # the gate that alone would have caught it
    "pgs_team_minutes_add_up",  # teams' minutes sum to NULL
    "pgs_minutes_null_by_month",  # no month at 90% NULL or more
    "assert_spot_checks_match_seed",  # a fallback-only player of the week is gone
    "pgs_sample_week_null_band",  # the sample week is the incident week
    "assert_preflight_raw_minutes_null_rate",  # raw minutes NULL: stop before writes
    "assert_no_corrupt_minutes",  # active players without minutes, named
}
INCIDENT_RED_ON_THE_TABLE = {
    "stg_gamebook_active_players_have_minutes",
    "pgs_played_has_minutes",
    "pgs_team_minutes_add_up",
    "assert_spot_checks_match_seed",
    "pgs_sample_week_null_band",
    "assert_preflight_raw_minutes_null_rate",
    "assert_no_corrupt_minutes",
}
# Over the whole month-long table the week is diluted: the NULL band only warns
# (about 50%), and coverage rises above 90% as the week's raw rows are gone.
INCIDENT_WARN_ON_THE_TABLE = {
    "pgs_minutes_null_band",
    "pgs_coverage_vs_raw",
    "pgs_coverage_vs_raw_by_month",
    "pgs_coverage_vs_raw_by_season",
}


def red(results: dict[str, str]) -> set[str]:
    return {name for name, status in results.items() if status in {"fail", "error"}}


def warned(results: dict[str, str]) -> set[str]:
    return {name for name, status in results.items() if status == "warn"}


def rebuild_week(harness: DbtHarness) -> None:
    """The real path: raw -> staging -> merge -> summary, rebuilt for the week."""
    run = harness.invoke("run", "--select", "player_game_summary", dbt_vars=INCIDENT)
    assert run.success, run.exception


def test_incident_turns_played_has_minutes_red(broken: DbtHarness) -> None:
    broken.execute(COERCE_GAMEBOOK_MINUTES)
    broken.execute(NO_FALLBACK_FOR_THE_WEEK)
    rebuild_week(broken)
    overall, played = broken.query(
        "select avg(case when minutes_played is null then 1.0 else 0 end), "
        "avg(case when is_active and minutes_played is null then 1.0 "
        "when is_active then 0 end) "
        f"from {SUMMARY} where {INCIDENT_DAYS}"
    )[0]
    # the incident's shape: nearly every minute of the week NULL
    assert overall > 0.95 and played > 0.95, (overall, played)

    week = statuses(broken.invoke("test", dbt_vars=INCIDENT))
    assert red(week) == INCIDENT_RED_ON_THE_WEEK
    # the week is ~100% NULL, yet the fixed NULL band only warns: it describes
    # one feed over one window (wrong-validation-bands)
    assert warned(week) == {"pgs_minutes_null_band"}

    table = statuses(broken.invoke("test"))
    assert red(table) == INCIDENT_RED_ON_THE_TABLE
    assert warned(table) == INCIDENT_WARN_ON_THE_TABLE


def test_incident_masked_by_the_fallback_is_still_caught_in_staging(
    broken: DbtHarness,
) -> None:
    # the same coercion with the fallback feed present: the per-player fallback
    # fills the summary's minutes with whole minutes, so the summary looks
    # healthy, but the staging test and the minute-exact checks still go red
    broken.execute(COERCE_GAMEBOOK_MINUTES)
    rebuild_week(broken)
    week = statuses(broken.invoke("test", dbt_vars=INCIDENT))
    assert "stg_gamebook_active_players_have_minutes" in red(week)
    assert "pgs_played_has_minutes" not in red(week)
    assert "pgs_team_minutes_add_up" in red(week)
    print("incident with the fallback, red on the week:", sorted(red(week)))
