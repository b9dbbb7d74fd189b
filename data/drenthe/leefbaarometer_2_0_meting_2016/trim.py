"""Copy the Leefbaarometer 2.0 (meting 2016) tables the manifest reads.

Usage, from the repository root:

    python3 data/drenthe/leefbaarometer_2_0_meting_2016/trim.py SOURCE

SOURCE is the full copy of this folder (the one SOURCE.md names), or a folder holding it as
leefbaarometer_2_0_meting_2016/. The classes and the scores ("stand") of the municipalities (all
of the Netherlands) and of Drenthe's districts are copied with their values unchanged; rows the
conversion from Excel wrote short (a district without scores: code and year only, the empty
cells dropped) are padded with empty cells to the header's width. The two tables of changes
("ontwikkeling") are left out, since a change is computed from the scores (see SOURCE.md,
"Trimmed for Leefbaar"). Standard library only.
"""
import csv
import shutil
import sys
from pathlib import Path

NAME = "leefbaarometer_2_0_meting_2016"
USAGE = f"""usage: python3 data/drenthe/{NAME}/trim.py SOURCE   (from the repository root)
  SOURCE: the full copy of {NAME}/, or a folder holding it; see data/drenthe/README.md"""
FILES = [
    "lbm2_gemeente_klassen_2002_2016_nl.csv",
    "lbm2_gemeente_dimensies_stand_2012_2016_nl.csv",
    "lbm2_wijk_klassen_2002_2016_drenthe.csv",
    "lbm2_wijk_dimensies_stand_2012_2016_drenthe.csv",
]


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
            rows = list(csv.reader(f))
        width = len(rows[0])
        padded = sum(1 for row in rows if len(row) < width)
        with open(out / name, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerows(row + [""] * (width - len(row)) for row in rows)
        print(f"{name}: {len(rows) - 1} rows, {padded} padded to {width} fields")
    if not (out / "SOURCE.md").exists():
        shutil.copyfile(src / "SOURCE.md", out / "SOURCE.md")


if __name__ == "__main__":
    main()
