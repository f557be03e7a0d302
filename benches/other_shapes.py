#!/usr/bin/env python3
"""Writes event tables shaped like third-party exports, with no code of
chronomap's own generator (gen-events): a check that the loader's figures do
not hold only for the files it was tuned on.

    python3 benches/other_shapes.py --rows 1000000 --distinct-places 100 \\
        --extra-columns 20 --words 40 --out target/bench-data/other.csv
    python3 benches/compare_load.py --file target/bench-data/other.csv --runs 3

The rows are what an incident log or a geocoded news feed exports: a UUID, an
ISO 8601 timestamp with time of day and zone, latitude and `lng` with six
decimals, a real GeoNames city (from ../shared/geodata, the same list the
app's gazetteer is built from) and its country code, an event type, a
headline, a description of a random length (commas, quotes, now and then a
line break inside the quotes with --newlines), a source URL, `;`-separated
tags, and --extra-columns numeric and coded columns chronomap keeps as extra
fields. Lines end in CRLF, as a Windows export's do.

--distinct-places P: P % of rows are at a point of their own (a city's
coordinates moved by up to a few kilometres, as GPS or a precise geocoder
gives); the others at one of the cities as listed.
"""

import argparse
import json
import os
import random
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CITIES = os.path.join(ROOT, "..", "shared", "geodata", "geonames_cities15000.json")
TYPES = ["Shelling", "Airstrike", "Drone strike", "Protest", "Arrest", "Clash",
         "Ambush", "IED", "Looting", "Displacement", "Curfew", "Evacuation"]
WORDS = ("the of and in to a was were near reported local officials said witnesses "
         "forces police residents at least two three several people injured killed "
         "building road market district village convoy checkpoint overnight morning "
         "according statement sources confirmed damage area \"heavy\" fire, after").split()
TAGS = ["verified", "unverified", "geolocated", "osint", "media", "ngo", "official"]


def cities():
    with open(CITIES, encoding="utf-8") as f:
        listed = json.load(f)
    return [(c["name"], c["countrycode"], c["latitude"], c["longitude"])
            for c in listed.values() if c.get("name")]


def quoted(text):
    return '"' + text.replace('"', '""') + '"'


def description(rng, words, newlines):
    n = max(3, int(rng.expovariate(1 / words)))
    text = " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."
    if newlines and rng.random() < 0.02:
        text += "\nUpdate: " + " ".join(rng.choice(WORDS) for _ in range(8)) + "."
    return quoted(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--distinct-places", type=int, default=100)
    parser.add_argument("--extra-columns", type=int, default=0)
    parser.add_argument("--words", type=int, default=30,
                        help="mean words of a description")
    parser.add_argument("--newlines", action="store_true",
                        help="a line break inside 2 %% of descriptions")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    places = cities()
    extra = [f"metric_{i}" if i % 2 == 0 else f"code_{i}" for i in range(args.extra_columns)]
    header = ["uid", "timestamp", "lat", "lng", "city", "country_code", "event_type",
              "headline", "description", "source_url", "tags"] + extra
    start = 1_609_459_200  # 2021-01-01T00:00:00Z
    span = 3 * 365 * 86_400
    with open(args.out + ".part", "w", encoding="utf-8", newline="") as out:
        out.write(",".join(header) + "\r\n")
        for _ in range(args.rows):
            name, country, lat, lon = rng.choice(places)
            if rng.random() * 100 < args.distinct_places:
                lat += rng.uniform(-0.03, 0.03)
                lon += rng.uniform(-0.03, 0.03)
            seconds = start + rng.randrange(span)
            day, rest = divmod(seconds, 86_400)
            stamp = (f"{ymd(day)}T{rest // 3600:02}:{rest // 60 % 60:02}:{rest % 60:02}Z")
            kind = rng.choice(TYPES)
            cells = [
                str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                stamp,
                f"{lat:.6f}",
                f"{lon:.6f}",
                quoted(name) if "," in name or '"' in name else name,
                country,
                kind,
                quoted(f"{kind} reported in {name}"),
                description(rng, args.words, args.newlines),
                f"https://news.example.org/{country.lower()}/{rng.getrandbits(40):x}",
                ";".join(rng.sample(TAGS, rng.randint(1, 3))),
            ]
            for i in range(args.extra_columns):
                cells.append(f"{rng.uniform(0, 1000):.3f}" if i % 2 == 0
                             else rng.choice("ABCDEFGH") + str(rng.randrange(100)))
            out.write(",".join(cells) + "\r\n")
    os.replace(args.out + ".part", args.out)


def ymd(day):
    """The civil date of a day counted from 1970-01-01."""
    z = day + 719_468
    era = z // 146_097
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return f"{y + (m <= 2):04}-{m:02}-{d:02}"


if __name__ == "__main__":
    main()
