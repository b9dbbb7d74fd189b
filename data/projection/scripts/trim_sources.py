#!/usr/bin/env python3
"""Copy the source tables leefbaar-projection uses into data/projection, trimmed.

Trimming only drops rows and columns; no value is changed. Run from the repository root:

    python3 data/projection/scripts/trim_sources.py SOURCE_DIR

SOURCE_DIR holds the full copies, one folder per source (wpp2024_netherlands/,
cbs_kwb_gemeenten_2012_2024/, ...: the table in data/projection/SOURCE.md names each file); they
are not part of the repository.

Every derived number (single-year rates, migration, headship) is computed in Rust by
crates/leefbaar-projection, not here.
"""
import csv
import sys
from pathlib import Path

USAGE = """usage: python3 data/projection/scripts/trim_sources.py SOURCE_DIR   (from the repository root)
  SOURCE_DIR: the folder holding the full copies (wpp2024_netherlands/, cbs_kwb_gemeenten_2012_2024/,
  ...); data/projection/SOURCE.md lists the files read from it"""

if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
    sys.exit(USAGE)
SRC = Path(sys.argv[1])
if not (SRC / "wpp2024_netherlands").is_dir():
    sys.exit(f"error: {SRC} has no wpp2024_netherlands/ folder\n\n{USAGE}")
DST = Path(__file__).resolve().parents[1]

DRENTHE_CODES = {"GM0106", "GM0109", "GM0114", "GM0118", "GM0119", "GM1680", "GM1681",
                 "GM1690", "GM1699", "GM1701", "GM1730", "GM1731"}


def write(path, header, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def read(path):
    with open(path, newline="", encoding="utf-8-sig") as inp:
        return list(csv.DictReader(inp))


# WPP 2024: keep 2015-2045 (periods 2015-2020 ... 2040-2045), all columns.
wpp = SRC / "wpp2024_netherlands"
for name, key in [
    ("nl_mx_abridged_by_sex_5yr_periods_1950_2100.csv", "period"),
    ("nl_fertility_pasfr_asfr_by_age5_annual_1950_2100.csv", "year"),
    ("nl_sex_ratio_at_birth_annual_1950_2100.csv", "year"),
    ("nl_tfr_annual_1950_2100.csv", "year"),
    ("nl_net_migration_annual_1950_2100.csv", "year"),
]:
    rows = read(wpp / name)
    # National net migration since 1990 feeds the national component of the bootstrap.
    first = 1990 if name.startswith("nl_net_migration") else 2015
    keep = [r for r in rows if first <= int(r[key][:4]) <= 2044]
    out = name.replace("1950_2100", f"{first}_2045")
    write(DST / "wpp2024" / out, list(rows[0].keys()), [list(r.values()) for r in keep])

# WPP births and deaths 2010-2023 (estimates): only for the diagnosis in the report example
# (projected against estimated births and deaths); not read by the library.
rows = read(wpp / "nl_births_deaths_growth_annual_1950_2100.csv")
write(DST / "wpp2024" / "nl_births_deaths_annual_2010_2023.csv", ["year", "variant", "births", "deaths"],
      [[r["year"], r["variant"], r["births"], r["deaths"]] for r in rows if 2010 <= int(r["year"]) <= 2023])

# CBS population by single age 1-1-2020: all municipalities (the NL back-test needs them),
# only code, age and count.
rows = read(SRC / "cbs_bevolking_leeftijd_gemeente_2020" / "bevolking_leeftijd_gemeente_2020-01-01.csv")
write(DST / "cbs_population_single_age_2020.csv", ["gemeentecode", "leeftijd", "aantal"],
      [[r["gemeentecode"], r["leeftijd"], r["aantal"]] for r in rows])

# CBS PC4 x age x sex 2021: PC4 rows of Drenthe (sex split per Drenthe municipality) and PC2 rows
# (national sex shares by age for the other municipalities).
lookup = read(SRC / "cbs_population_pc4_age_sex_2021" / "postcodes_lookup_2021.csv")
drenthe_pc4 = {r["postcode"]: r["gemeente"] for r in lookup
               if r["provincie"] == "Drenthe" and len(r["postcode"]) == 4}
write(DST / "cbs_pc4_drenthe_gemeente_lookup_2021.csv", ["postcode", "gemeente"],
      sorted(drenthe_pc4.items()))
rows = read(SRC / "cbs_population_pc4_age_sex_2021" / "inwoners_postcode_leeftijd_geslacht_2021.csv")
write(DST / "cbs_population_postcode_age5_sex_2021.csv",
      ["postcode", "leeftijd", "inwoners_man", "inwoners_vrouw"],
      [[r["postcode"], r["leeftijd"], r["inwoners_man"], r["inwoners_vrouw"]] for r in rows
       if len(r["postcode"]) == 2 or r["postcode"] in drenthe_pc4])

# KWB municipality series: population, sex, age shares, households; all municipalities.
rows = read(SRC / "cbs_kwb_gemeenten_2012_2024" / "kwb_gemeenten_2012_2024.csv")
# `geboorte_relatief` and `sterfte_relatief` (births and deaths per 1,000 residents, filled for
# 2022 only) serve the diagnosis in the report example.
cols = ["jaar", "gemeentecode", "gemeentenaam", "aantal_inwoners", "mannen", "vrouwen", "0_15",
        "15_25", "25_45", "45_65", "65plus", "huishoudens", "geboorte_relatief", "sterfte_relatief"]
write(DST / "cbs_kwb_gemeenten_2012_2024.csv", cols, [[r[c] for c in cols] for r in rows])

# KWB 2019 counts by age group: unchanged, minus marital status.
rows = read(SRC / "cbs_kwb_2019_gemeenten_leeftijd_burgerlijke_staat" / "kwb-2019.csv")
cols = ["region", "unique_id", "population", "men", "women", "b_00_14", "b_15_24", "b_25_44",
        "b_45_64", "b_65_oo"]
write(DST / "cbs_kwb_2019_gemeenten_leeftijdsgroepen.csv", cols, [[r[c] for c in cols] for r in rows])

# Overlay lineage: the consecutive pairs 2012->2017 ... 2023->2024 (not the direct 2012->2024).
rows = read(SRC / "cbs_gemeenten_grenzen_2012_2023" / "gemeenten_overlay_lineage.csv")
keep = [r for r in rows if r["jaar_oud"] in {"2012", "2017", "2018", "2019", "2022", "2023"}
        and int(r["jaar_nieuw"]) - int(r["jaar_oud"]) <= 5]
cols = ["jaar_oud", "gemeentecode_oud", "jaar_nieuw", "gemeentecode_nieuw", "relatie",
        "aandeel_van_oud", "aandeel_van_nieuw"]
write(DST / "cbs_gemeenten_lineage_2012_2024.csv", cols, [[r[c] for c in cols] for r in keep])

# Province of each municipality of 2024 (CBS "Gebieden in Nederland"): the regional component of
# the bootstrap draws one error per province. `;`-separated with space-padded fields.
with open(SRC / "cbs_gebieden_in_nederland_gemeenten" / "gebieden_in_nederland_gemeenten.csv",
          newline="", encoding="utf-8-sig") as inp:
    rows = [{k: v.strip() for k, v in r.items()} for r in csv.DictReader(inp, delimiter=";")]
write(DST / "cbs_gemeenten_provincie_2024.csv", ["gemeentecode", "provinciecode", "provincienaam"],
      sorted([r["Code_1"], r["Code_26"], r["Naam_27"]] for r in rows))
