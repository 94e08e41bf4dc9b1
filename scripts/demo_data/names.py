"""Name pools and the real-style anchor players (accented names and suffixes).

Every accented letter used here decomposes under NFKD (no ``ł``, ``ø``, ``đ`` or
a dotless i), so the ``player_lookup`` rule turns it into its ASCII base.
"""

from __future__ import annotations

from typing import NamedTuple


class Anchor(NamedTuple):
    """A fixed, real-style player placed on a team in the first generated season."""

    full_name: str
    team: str
    rating: float


ANCHORS: tuple[Anchor, ...] = (
    Anchor("Nikola Jokić", "DEN", 0.99),
    Anchor("Luka Dončić", "DAL", 0.98),
    Anchor("Jonas Valančiūnas", "NOP", 0.80),
    Anchor("Jusuf Nurkić", "POR", 0.76),
    Anchor("Bogdan Bogdanović", "ATL", 0.74),
    Anchor("Dennis Schröder", "BOS", 0.72),
    Anchor("Dario Šarić", "PHX", 0.62),
    Anchor("Kristaps Porziņģis", "DAL", 0.84),
    Anchor("Alperen Şengün", "HOU", 0.70),
    Anchor("Nikola Vučević", "CHI", 0.82),
    Anchor("Vlatko Čančar", "DEN", 0.45),
    Anchor("Théo Maledon", "OKC", 0.50),
    Anchor("Dāvis Bertāns", "WAS", 0.55),
    Anchor("Willy Hernangómez", "NOP", 0.58),
    Anchor("Tim Hardaway Jr.", "DAL", 0.70),
    Anchor("Jaren Jackson Jr.", "MEM", 0.86),
    Anchor("Gary Trent Jr.", "TOR", 0.78),
    Anchor("Marcus Morris Sr.", "LAC", 0.72),
    Anchor("Robert Williams III", "BOS", 0.74),
    Anchor("Kelly Oubre Jr.", "CHA", 0.75),
    Anchor("Larry Nance Jr.", "CLE", 0.66),
    Anchor("Wendell Carter Jr.", "ORL", 0.77),
    Anchor("Michael Porter Jr.", "DEN", 0.80),
    Anchor("Kevin Porter Jr.", "HOU", 0.76),
    Anchor("Gary Payton II", "GSW", 0.60),
    Anchor("Lonnie Walker IV", "SAS", 0.64),
)

FIRST_NAMES: tuple[str, ...] = (
    "Aaron", "Adrian", "Al", "Alec", "Andre", "Andrew", "Anthony", "Austin", "Ben",
    "Bennett", "Blake", "Bobby", "Brandon", "Brook", "Bruce", "Bryce", "Caleb",
    "Cameron", "Carlos", "Cedric", "Chris", "Christian", "Cole", "Collin", "Corey",
    "Cory", "Damian", "Daniel", "Darius", "David", "Dean", "Deandre", "Derrick",
    "Devin", "Dillon", "Donovan", "Dorian", "Drew", "Dwight", "Dylan", "Elijah",
    "Eric", "Evan", "Franz", "Garrison", "Grant", "Hamidou", "Harrison", "Isaac",
    "Isaiah", "Ivica", "Jabari", "Jae", "Jalen", "Jamal", "James", "Jared", "Jaylen",
    "Jeff", "Jeremy", "Jerami", "Joe", "John", "Jordan", "Josh", "Josiah", "Jrue",
    "Julius", "Justin", "Karl", "Keegan", "Keldon", "Kevin", "Khris", "Kyle", "Lamar",
    "Landry", "Lauri", "Luguentz", "Malcolm", "Malik", "Marcus", "Mason", "Max",
    "Miles", "Mitchell", "Moses", "Naji", "Nathan", "Nick", "Nicolas", "Norman",
    "Obi", "Onyeka", "Paul", "Pascal", "Patrick", "Quentin", "Reggie", "Ricky",
    "Rudy", "Ryan", "Saddiq", "Scottie", "Sean", "Seth", "Shai", "Simone", "Spencer",
    "Stanley", "Sterling", "Taurean", "Terrence", "Thomas", "Tobias", "Torrey",
    "Trey", "Tyler", "Tyrese", "Tyus", "Victor", "Walker", "Wesley", "Xavier", "Zach",
    "Ziaire",
)  # fmt: skip

ACCENTED_FIRST_NAMES: tuple[str, ...] = (
    "Théo", "Nicolò", "Álex", "Dāvis", "Rokas", "Matías", "Jonáš", "Tomáš", "Josué",
    "André", "Sékou", "Ömer", "Ersan",
)  # fmt: skip

LAST_NAMES: tuple[str, ...] = (
    "Adams", "Allen", "Anderson", "Bailey", "Baker", "Banks", "Barnes", "Bell",
    "Bennett", "Bridges", "Brooks", "Brown", "Bryant", "Butler", "Caldwell", "Carter",
    "Clark", "Coleman", "Collins", "Cook", "Cooper", "Craig", "Cunningham", "Daniels",
    "Davis", "Dixon", "Dunn", "Edwards", "Ellis", "Evans", "Fields", "Fisher", "Ford",
    "Foster", "Fox", "Freeman", "Garland", "Gibson", "Gordon", "Graham", "Grant",
    "Green", "Griffin", "Hall", "Hamilton", "Harper", "Harris", "Hart", "Hayes",
    "Henderson", "Hill", "Holiday", "Holmes", "Hunter", "Jackson", "James", "Jenkins",
    "Johnson", "Jones", "Jordan", "Keller", "Kennard", "King", "Knight", "Lane",
    "Lewis", "Little", "Lopez", "Lyles", "Marshall", "Martin", "Mathews", "McBride",
    "McCollum", "McDaniels", "Miller", "Mitchell", "Mobley", "Moore", "Morgan",
    "Murphy", "Murray", "Nelson", "Norman", "Okafor", "Okoro", "Olynyk", "Owens",
    "Parker", "Patterson", "Payne", "Perry", "Pierce", "Poole", "Powell", "Price",
    "Quickley", "Reed", "Reid", "Richards", "Richardson", "Roberts", "Robinson",
    "Rose", "Ross", "Russell", "Sanders", "Scott", "Simmons", "Smart", "Smith",
    "Stewart", "Strus", "Suggs", "Tate", "Taylor", "Thomas", "Thompson", "Tucker",
    "Turner", "Vincent", "Wagner", "Walker", "Wallace", "Warren", "Washington",
    "Watson", "White", "Wiggins", "Williams", "Wilson", "Wright", "Young", "Zeller",
)  # fmt: skip

ACCENTED_LAST_NAMES: tuple[str, ...] = (
    "Bogdanović", "Jović", "Krejčí", "Micić", "Musić", "Petrušev", "Ristić",
    "Šimánek", "Dončević", "Kurucs", "Žižić", "Marjanović", "Hezonja", "Šamanić",
    "Mačiulis", "Jokubaitis", "Sabonis", "Garuba", "Dieng", "Ntilikina", "Fall",
    "Poirier", "Lessort", "Müller", "Schröter", "Güler", "Osman", "Korkmaz", "Çelik",
    "Söderberg", "Hernández", "Calderón", "Pérez", "Martínez", "Núñez", "Rodríguez",
    "Ibáñez", "Ruiz", "Žagars", "Bertāns", "Šmits", "Vėžys",
)  # fmt: skip

SUFFIXES: tuple[str, ...] = ("Jr.", "Jr.", "Jr.", "Jr.", "Sr.", "II", "III")
