"""Trim the CBS statistics per postcode (PC4) of Drenthe to the columns the manifest maps.

Usage, from the repository root:

    python3 data/drenthe/cbs_pc4_statistiek_2023_2024_drenthe/trim.py SOURCE

SOURCE is the full copy of this folder (the one SOURCE.md names, holding pc4_2023_drenthe.csv
and pc4_2024_drenthe.csv), or a folder holding it as cbs_pc4_statistiek_2023_2024_drenthe/.
Rows and cells are copied unchanged; only columns are left out (see SOURCE.md, "Trimmed for
Leefbaar"). Standard library only.
"""
import csv
import shutil
import sys
from pathlib import Path

NAME = "cbs_pc4_statistiek_2023_2024_drenthe"
USAGE = f"""usage: python3 data/drenthe/{NAME}/trim.py SOURCE   (from the repository root)
  SOURCE: the full copy of {NAME}/ (with pc4_2023_drenthe.csv and pc4_2024_drenthe.csv),
  or a folder holding it; see data/drenthe/README.md"""

# The columns data/drenthe/manifest.toml maps, in the source's order; the 2023 table also has
# the mean WOZ value, which CBS did not publish for 2024.
KEEP = [
    "pc4", "gemeente_2021_lookup", "inwoners_totaal", "inwoners_geslacht_man",
    "inwoners_geslacht_vrouw", "inwoners_leeftijdklassen_tot_15_jaar",
    "inwoners_leeftijdklassen_15_tot_25_jaar", "inwoners_leeftijdklassen_25_tot_45_jaar",
    "inwoners_leeftijdklassen_45_tot_65_jaar", "inwoners_leeftijdklassen_65_jaar_en_ouder",
    "huishouden_totaal", "huishouden_samenstelling_eenpersoons",
    "huishouden_samenstelling_eenouder", "huishouden_samenstelling_tweeouder",
    "huishouden_grootte_huishoudgrootte", "woning_totaal", "woning_type_meergezins",
    "woning_type_koopwoning", "woning_eigendom_huurwoning", "woning_eigendom_huurcoporatie",
    "woning_in_gebruik_niet_bewoond", "woning_waarde_woz_waarde_woning",
    "sociale_zekerheid_totaal_uitkeringen_personen_met_ww_bijstand_en_of_ao_uitkering_beneden_aow_leeftijd",
    "dichtheid_omgevingsadressendichtheid", "dichtheid_stedelijkheid",
]
FILES = ["pc4_2023_drenthe.csv", "pc4_2024_drenthe.csv"]


def source_dir():
    if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
        sys.exit(USAGE)
    src = Path(sys.argv[1])
    for candidate in (src, src / NAME):
        if all((candidate / name).is_file() for name in FILES):
            return candidate
    sys.exit(f"error: {src} holds neither {FILES[0]} nor {NAME}/{FILES[0]}\n\n{USAGE}")


def main():
    src = source_dir()
    out = Path(__file__).resolve().parent
    for name in FILES:
        with open(src / name, encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            columns = [c for c in KEEP if c in reader.fieldnames]
            rows = [[row[c] for c in columns] for row in reader]
        with open(out / name, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(columns)
            writer.writerows(rows)
        print(f"{name}: {len(rows)} rows, {len(columns)} columns")
    for name in (n.replace(".csv", "_columns.csv") for n in FILES):
        with open(src / name, encoding="utf-8", newline="") as f:
            rows = [r for r in csv.reader(f)]
        with open(out / name, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(rows[0])
            writer.writerows(r for r in rows[1:] if r[0] in KEEP)
    if not (out / "SOURCE.md").exists():
        shutil.copyfile(src / "SOURCE.md", out / "SOURCE.md")


if __name__ == "__main__":
    main()
