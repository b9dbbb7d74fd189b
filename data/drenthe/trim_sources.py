"""Trim the full CBS copies to what the Leefbaar demo needs (the folders beside this script).

Usage, from the repository root:

    python3 data/drenthe/trim_sources.py SOURCE_DIR

SOURCE_DIR holds the full copies, one folder per source named as the folders here (for example
SOURCE_DIR/cbs_kwb_gemeenten_2012_2024/kwb_gemeenten_2012_2024.csv); each folder's SOURCE.md
names the repository and commit the full copy came from. The full copies are not part of the
repository. Each SOURCE.md ("Trimmed for Leefbaar") says what this script cut.
"""
import csv
import json
import shutil
import sys
from pathlib import Path

USAGE = """usage: python3 data/drenthe/trim_sources.py SOURCE_DIR   (from the repository root)
  SOURCE_DIR: the folder holding the full CBS copies, one folder per source named as the
  folders in data/drenthe/ (cbs_kwb_gemeenten_2012_2024/, ...); see data/drenthe/README.md"""


def source_dir():
    if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
        sys.exit(USAGE)
    src = Path(sys.argv[1])
    if not (src / "cbs_kwb_gemeenten_2012_2024").is_dir():
        sys.exit(f"error: {src} has no cbs_kwb_gemeenten_2012_2024/ folder\n\n{USAGE}")
    return src


SRC = source_dir()
DST = Path(__file__).resolve().parent
DRENTHE = "GM0106 GM0109 GM0114 GM0118 GM0119 GM1680 GM1681 GM1690 GM1699 GM1701 GM1730 GM1731".split()
KWB_COLUMNS = [
    "jaar", "gemeentecode", "gemeentenaam", "aantal_inwoners", "mannen", "vrouwen",
    "0_15", "15_25", "25_45", "45_65", "65plus", "huishoudens", "gem_huishouden_grootte",
    "bevolkingsdichtheid", "opp_land", "woningvoorraad", "koopwoningen", "huurwoningen",
    "gem_woz_waarde", "gem_inkomen_inwoner", "bedrijfsvestigingen", "personenautos",
    "afstand_huisarts", "afstand_supermarkt", "pct_eenpersoonshhd", "pct_hhd_met_kind",
    "geboorte_relatief", "sterfte_relatief",
]


def folder(name):
    out = DST / name
    out.mkdir(parents=True, exist_ok=True)
    # SOURCE.md carries a hand-written "Trimmed for Leefbaar" section, so it is copied only once.
    if not (out / "SOURCE.md").exists():
        shutil.copyfile(SRC / name / "SOURCE.md", out / "SOURCE.md")
    return SRC / name, out


def write_csv(path, header, rows, quoting=csv.QUOTE_MINIMAL):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n", quoting=quoting)
        w.writerow(header)
        w.writerows(rows)


def filter_geojson(src, dst, keep, edit=lambda f: f):
    data = json.loads(src.read_text(encoding="utf-8"))
    data["features"] = [edit(f) for f in data["features"] if keep(f)]
    dst.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return len(data["features"])


# 1. KWB municipalities 2012-2024: all rows, only the columns the manifest maps.
src, out = folder("cbs_kwb_gemeenten_2012_2024")
with open(src / "kwb_gemeenten_2012_2024.csv", encoding="utf-8", newline="") as f:
    rows = list(csv.DictReader(f))
write_csv(out / "kwb_gemeenten_2012_2024.csv", KWB_COLUMNS, ([r[c] for c in KWB_COLUMNS] for r in rows))
# All municipalities with a boundary (not GM0998 "Buitenland"): `leefbaar demo --province`
# builds the monitor of any province from the national tables.
filter_geojson(src / "gemeenten_2024.geojson", out / "gemeenten_2024.geojson",
               lambda f: f["geometry"] is not None and f["properties"]["gemeentecode"] != "GM0998")

# 2. KWB 2024 municipalities and districts: Drenthe rows only, no JSON metadata.
src, out = folder("cbs_kwb_2024_gemeenten_wijken_basis")
with open(src / "kwb_2024_gemeenten_wijken.csv", encoding="utf-8", newline="") as f:
    reader = csv.reader(f)
    header = next(reader)
    rows = [r for r in reader if "GM" + r[0][2:6] in DRENTHE]
write_csv(out / "kwb_2024_gemeenten_wijken.csv", header, rows)

# 3. District and neighbourhood boundaries: already Drenthe only, copied unchanged.
for name, file in [("cbs_wijken_2024", "wijken_2024_drenthe.geojson"),
                   ("cbs_buurten_2019_drenthe", "buurten_drenthe.geojson")]:
    src, out = folder(name)
    shutil.copyfile(src / file, out / file)

# 4. Population by single age 2020: all NL, without the derivable 10-year group column.
src, out = folder("cbs_bevolking_leeftijd_gemeente_2020")
with open(src / "bevolking_leeftijd_gemeente_2020-01-01.csv", encoding="utf-8", newline="") as f:
    rows = list(csv.DictReader(f))
cols = ["gemeentecode", "gemeentenaam", "leeftijd", "aantal"]
# Sorted by municipality, then age, so the rows summed into one value are consecutive lines and
# their provenance reads as one line range.
rows = sorted(rows, key=lambda r: (r["gemeentecode"], int(r["leeftijd"])))
write_csv(out / "bevolking_leeftijd_gemeente_2020-01-01.csv", cols, ([r[c] for c in cols] for r in rows))

# 5. Population per PC4 2021: Drenthe PC4 codes only (provincie = Drenthe in the lookup).
src, out = folder("cbs_population_pc4_age_sex_2021")
# The lookup's `provincie` is its 7th field; lines are kept verbatim so the quoting stays CBS's.
lines = (src / "postcodes_lookup_2021.csv").read_text(encoding="utf-8").splitlines()
lookup = [next(csv.reader([line])) for line in lines[1:]]
kept = [line for line, r in zip(lines[1:], lookup) if r[6] == "Drenthe" and len(r[0]) == 4]
pc4 = {line.split(",")[0] for line in kept}
(out / "postcodes_lookup_2021.csv").write_text("\n".join([lines[0], *kept]) + "\n", encoding="utf-8")
with open(src / "inwoners_postcode_leeftijd_geslacht_2021.csv", encoding="utf-8", newline="") as f:
    reader = csv.reader(f)
    header = next(reader)
    rows = [r for r in reader if r[0] in pc4]
with open(out / "inwoners_postcode_leeftijd_geslacht_2021.csv", "w", encoding="utf-8", newline="") as f:
    f.write(",".join(f'"{h}"' for h in header) + "\n")
    for r in rows:
        f.write(f'{r[0]},"{r[1]}",{r[2]},{r[3]},{r[4]}\n')

# 6. Boundaries 2022: Drenthe PC4 polygons unchanged; every province, given its CBS code (by
# name, from Gebieden in Nederland), for the monitor of any province.
src, out = folder("cbs_boundaries_2022_certegis")
shutil.copyfile(src / "pc4_drenthe_2022.geojson", out / "pc4_drenthe_2022.geojson")
with open(SRC / "cbs_gebieden_in_nederland_gemeenten" / "gebieden_in_nederland_gemeenten.csv",
          encoding="utf-8-sig", newline="") as f:
    PROVINCE_CODES = {r["Naam_27"].strip(): r["Code_26"].strip() for r in csv.DictReader(f, delimiter=";")}


# The boundary file names Fryslân by its Dutch exonym.
PROVINCE_CODES["Friesland"] = PROVINCE_CODES["Fryslân"]


def add_code(feature):
    code = PROVINCE_CODES[feature["properties"]["provincie"]]
    feature["properties"] = {"provinciecode": code, **feature["properties"]}
    return feature


filter_geojson(src / "provincies_2022.geojson", out / "provincies_2022.geojson",
               lambda f: True, add_code)

# 7. Gebieden in Nederland: unchanged (CBS's own export convention, used as a test of the reader).
src, out = folder("cbs_gebieden_in_nederland_gemeenten")
shutil.copyfile(src / "gebieden_in_nederland_gemeenten.csv", out / "gebieden_in_nederland_gemeenten.csv")
