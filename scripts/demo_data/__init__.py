"""Deterministic generator of demo raw data for the ``nba_raw`` schema.

Modules, one job each:

* ``lookup``        -- the ``player_lookup`` rule (and Ball Don't Lie's lossy variant)
* ``names``         -- name pools and the real-style anchor players
* ``teams_players`` -- teams, players, season rosters, trades and injuries
* ``season_calendar`` -- the season calendar, tied together from:
  ``scheduled_games`` (game kinds and ids), ``regular_season`` (preseason, regular
  season, postponements) and ``postseason`` (seeding, play-in, playoffs)
* ``gaps``          -- real-world gaps at chosen rates: incomplete box scores,
  feeds without inactive players, overtime
* ``quirks``        -- which games and players carry the feed quirks
* ``games``         -- lineups and coherent box scores for one game
* ``feeds``         -- which players each player feed lists for a game, from:
  ``feed_game`` (the game's shared fields and random draws), ``gamebook_feed``
  and ``bdl_feed`` (each feed's rows) and ``older_loads`` (a repeated load)
* ``schedule_feed`` -- the schedule's row of a game
* ``minute_formats`` -- how each feed prints minutes
* ``load_times``    -- when a feed's file was loaded
* ``schema``        -- column names and types of the three raw tables
* ``writer``        -- temporary CSV files and the one-transaction DuckDB load
* ``pipeline``      -- ``generate()``: ties everything together
"""
