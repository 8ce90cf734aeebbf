"""Write ``src/t86audit/data/countries.csv``: ISO 3166-1 codes and the names exports use.

Source: the ``iso-codes`` project's ``iso_3166-1.json`` (Debian package ``iso-codes``; read from
``/usr/share/iso-codes/json/iso_3166-1.json`` or the path given as the first argument): each
country's alpha-2 and alpha-3 codes, its ISO short name, common name and official name. Added
by hand (``_ALIASES``): names exports write that ISO does not list ("UK", "Great Britain",
"South Korea", "Vietnam", "Turkey", "Macau", "Holland", "USA"). The package never reads this
script or its source at run time: it reads the CSV this script writes (committed).

Usage::

    python scripts/build_countries.py [PATH/TO/iso_3166-1.json]
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "t86audit" / "data" / "countries.csv"
DEFAULT_SOURCE = Path("/usr/share/iso-codes/json/iso_3166-1.json")

_ALIASES: dict[str, tuple[str, ...]] = {
    "GB": ("UK", "U.K.", "Great Britain", "England", "Scotland", "Wales", "Northern Ireland"),
    "KR": ("Korea", "South Korea", "Republic of Korea", "Korea (South)"),
    "KP": ("North Korea", "DPRK", "Korea (North)"),
    "VN": ("Vietnam", "Viet Nam"),
    "TR": ("Turkey", "Türkiye", "Turkiye"),
    "MO": ("Macau", "Macao"),
    "NL": ("Holland", "The Netherlands"),
    "US": (
        "USA",
        "U.S.A.",
        "U.S.",
        "United States of America",
        "America",
        "Estados Unidos",
        "EE.UU.",
        "États-Unis",
        "Etats-Unis",
        "Vereinigte Staaten",
    ),
    "RU": ("Russia",),
    "TW": ("Taiwan", "Republic of China (Taiwan)", "Chinese Taipei"),
    "CZ": ("Czech Republic", "Czechia"),
    "CI": ("Ivory Coast", "Cote d'Ivoire"),
    "LA": ("Laos",),
    "SY": ("Syria",),
    "IR": ("Iran",),
    "BO": ("Bolivia",),
    "VE": ("Venezuela",),
    "TZ": ("Tanzania",),
    "MD": ("Moldova",),
    "BN": ("Brunei",),
    "CD": ("Democratic Republic of the Congo", "DR Congo", "Congo (Kinshasa)"),
    "CG": ("Republic of the Congo", "Congo (Brazzaville)"),
    "AE": ("UAE", "U.A.E.", "Emirates"),
    "SA": ("KSA",),
    "MK": ("Macedonia", "North Macedonia"),
    "SZ": ("Swaziland", "Eswatini"),
    "MM": ("Burma", "Myanmar"),
    "CV": ("Cape Verde", "Cabo Verde"),
    "PS": ("Palestine",),
    "VA": ("Vatican", "Holy See"),
    "FM": ("Micronesia",),
}


def main() -> None:
    """Read the iso-codes JSON and write the CSV (sorted by alpha-2 code)."""
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE
    countries = json.loads(source.read_text(encoding="utf-8"))["3166-1"]
    rows = []
    for country in sorted(countries, key=lambda c: c["alpha_2"]):
        code = country["alpha_2"]
        names = [country["name"]]
        for key in ("common_name", "official_name"):
            if key in country and country[key] not in names:
                names.append(country[key])
        names.extend(name for name in _ALIASES.get(code, ()) if name not in names)
        rows.append((code, country["alpha_3"], "|".join(names)))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("alpha_2", "alpha_3", "names"))
    writer.writerows(rows)
    OUT.write_text(buffer.getvalue(), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(rows)} countries from {source}")


if __name__ == "__main__":
    main()
