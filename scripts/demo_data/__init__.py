"""Deterministic generator of demo raw data for the ``nba_raw`` schema.

Modules, one job each:

* ``lookup``        -- the ``player_lookup`` rule (and Ball Don't Lie's lossy variant)
* ``names``         -- name pools and the real-style anchor players
* ``teams_players`` -- teams, players, season rosters, trades and injuries
* ``calendar``      -- the season calendar: preseason, regular season, All-Star,
  play-in, playoffs, postponements
* ``quirks``        -- which games and players carry the feed quirks
* ``games``         -- lineups and coherent box scores for one game
* ``feeds``         -- turns a simulated game into rows of the three raw tables
* ``schema``        -- column names and types of the three raw tables
* ``writer``        -- temporary CSV files and the one-transaction DuckDB load
* ``pipeline``      -- ``generate()``: ties everything together
"""
