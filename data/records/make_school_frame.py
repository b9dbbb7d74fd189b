#!/usr/bin/env python3
"""Build drenthe_primary_schools_2019.csv, the school frame of the SYNTHETIC education records.

One row per regular primary school location (SOORT_PO `Bo`) in the province of Drenthe on
1 October 2019: its DUO id (BRIN + location number), CBS municipality code, number of pupils
(DUO), and CBS disadvantage score 2019 (empty when CBS has none for the location). Reads the
two DUO/CBS files named below; run from the repository root:

    python3 data/records/make_school_frame.py PATH/TO/duo_onderwijs_resultaten_drenthe

(the folder of that name beside the checkout in the project's shared data; see SOURCE.md)

The output is committed, so tests never read the source directory.
"""
import csv
import sys
from pathlib import Path

source = Path(sys.argv[1])
scores = {}
with open(source / "po_achterstandsscores_2019_nl.csv", newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        scores[row["brin_vestiging"]] = row["achterstandsscore"]

rows = []
with open(source / "po_afstand_woonadres_school_2019_2020_nl.csv", newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        if row["PROVINCIE"] != "Drenthe" or row["SOORT_PO"] != "Bo":
            continue
        school_id = row["BRIN_NUMMER"] + row["VESTIGINGSNUMMER"]
        rows.append(
            (
                school_id,
                "GM%04d" % int(row["GEMEENTENUMMER"]),
                int(row["LEERLINGEN"]),
                scores.get(school_id, ""),
            )
        )
rows.sort()
out = Path(__file__).with_name("drenthe_primary_schools_2019.csv")
with open(out, "w", newline="", encoding="utf-8") as f:
    writer = csv.writer(f, lineterminator="\n")
    writer.writerow(["school_id", "municipality_code", "pupils", "disadvantage_score"])
    writer.writerows(rows)
print(f"{len(rows)} schools, {sum(r[2] for r in rows)} pupils, "
      f"{sum(1 for r in rows if r[3] == '')} without a disadvantage score -> {out}")
