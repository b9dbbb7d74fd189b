"""Rebuild the files in this folder from the full DUO/CBS copies (see SOURCE.md for origins).

usage: python3 trim.py SOURCE_DIR
SOURCE_DIR (or its subfolder duo_onderwijs_resultaten_drenthe/) holds the files that `duo_onderwijs_resultaten_drenthe/trim.py` makes from DUO's raw
downloads (UTF-8, decimal points, DUO's '<5' kept as text):
  po_eindscores_2018_2019_nl.csv, po_achterstandsscores_2019_nl.csv,
  po_afstand_woonadres_school_2019_2020_nl.csv, vo_leerlingen_onderwijstype_leerjaar_2019_drenthe.csv,
  vo_vsv_per_vestiging_2015_nl.csv, vo_examens_2014_2019_drenthe.csv, vo_examens_2019_2024_drenthe.csv
and the bundle's towns (`../cbs_bevolkingskernen_2021/towns_2021.csv`) are read to place a
secondary location without exam rows in its municipality. Only the standard library is used.

What is kept: the rows of Drenthe's schools (primary: PROVINCIE = Drenthe; CBS scores and early
school leavers: the locations of those files), the columns Leefbaar reads, and cells exactly as
DUO published them ('<5' stays '<5'). Exam files keep only the TOTAAL columns (candidates, passed,
pass %) of each school year, not the split by sex.
"""
import csv, sys
from pathlib import Path

if len(sys.argv) != 2:
    sys.exit(__doc__)
SHARED = Path(sys.argv[1])
if (SHARED / 'duo_onderwijs_resultaten_drenthe').is_dir():
    SHARED = SHARED / 'duo_onderwijs_resultaten_drenthe'
OUT = Path(__file__).resolve().parent
TOWNS = OUT.parent / 'cbs_bevolkingskernen_2021' / 'towns_2021.csv'
# The twelve municipalities of Drenthe (2019 = 2024 division), as DUO's exam files spell them.
MUNICIPALITIES = {
    'AA EN HUNZE': 'GM1680', 'ASSEN': 'GM0106', 'BORGER-ODOORN': 'GM1681', 'COEVORDEN': 'GM0109',
    'DE WOLDEN': 'GM1690', 'EMMEN': 'GM0114', 'HOOGEVEEN': 'GM0118', 'MEPPEL': 'GM0119',
    'MIDDEN-DRENTHE': 'GM1731', 'NOORDENVELD': 'GM1699', 'TYNAARLO': 'GM1730', 'WESTERVELD': 'GM1701',
}


def read(name):
    with open(SHARED / name, newline='', encoding='utf-8') as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def write(name, header, rows):
    with open(OUT / name, 'w', newline='', encoding='utf-8') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(header)
        w.writerows(rows)
    print(name, len(rows))


def keep(header, rows, columns):
    index = [header.index(c) for c in columns]
    return columns, [[row[i] for i in index] for row in rows]


locations = {}  # code -> (name, municipality, how)

# 1. Primary final test 2018-19 and home-school distance 2019-20: Drenthe's locations.
for src, dst in [('po_eindscores_2018_2019_nl.csv', 'po_eindscores_2018_2019_drenthe.csv'),
                 ('po_afstand_woonadres_school_2019_2020_nl.csv', 'po_afstand_woonadres_school_2019_2020_drenthe.csv')]:
    header, rows = read(src)
    rows = [r for r in rows if r[header.index('PROVINCIE')] == 'Drenthe']
    for r in rows:
        code = r[header.index('BRIN_NUMMER')] + r[header.index('VESTIGINGSNUMMER')]
        gm = 'GM%04d' % int(r[header.index('GEMEENTENUMMER')])
        locations.setdefault(code, (r[header.index('INSTELLINGSNAAM_VESTIGING')], gm, 'GEMEENTENUMMER'))
    drop = {'POSTCODE_VESTIGING', 'DENOMINATIE_VESTIGING', 'BEVOEGD_GEZAG_NUMMER'}
    write(dst, *keep(header, rows, [c for c in header if c not in drop]))
primary = set(locations)

# 2. CBS disadvantage scores 2019: the primary locations above.
header, rows = read('po_achterstandsscores_2019_nl.csv')
write('po_achterstandsscores_2019_drenthe.csv', header, [r for r in rows if r[0] in primary])

# 3. Secondary pupils by type and year of study 2019 (already Drenthe's locations).
header, rows = read('vo_leerlingen_onderwijstype_leerjaar_2019_drenthe.csv')
drop = {'VMBO SECTOR', 'AFDELING', 'ELEMENTCODE', 'OPLEIDINGSNAAM'}
write('vo_leerlingen_onderwijstype_leerjaar_2019_drenthe.csv', *keep(header, rows, [c for c in header if c not in drop]))
pupils = {r[0] + r[1]: (r[2], r[3]) for r in rows}

# 4. Exam candidates and passed per school year, totals only, one file for 2014-15 .. 2023-24.
years = ['%d-%d' % (y, y + 1) for y in range(2014, 2024)]
columns = ['VESTIGINGSCODE', 'INSTELLINGSNAAM VESTIGING', 'GEMEENTENAAM', 'ONDERWIJSTYPE VO',
           'INSPECTIECODE', 'OPLEIDINGSNAAM']
for y in years:
    columns += ['%s SCHOOLJAAR %s - TOTAAL' % (what, y) for what in ('EXAMENKANDIDATEN', 'GESLAAGDEN', 'SLAAGPERC')]
exams = {}
exam_municipality = {}
for src, code_column in [('vo_examens_2014_2019_drenthe.csv', 'VESTIGINGSNUMMER'),
                         ('vo_examens_2019_2024_drenthe.csv', 'VESTIGINGSCODE')]:
    header, rows = read(src)
    for r in rows:
        cell = dict(zip(header, r))
        cell['VESTIGINGSCODE'] = cell[code_column]
        key = (cell['VESTIGINGSCODE'], cell['ONDERWIJSTYPE VO'], cell['INSPECTIECODE'], cell['OPLEIDINGSNAAM'])
        merged = exams.setdefault(key, {c: '' for c in columns})
        for c in columns:
            if cell.get(c, '') != '':
                merged[c] = cell[c]
        exam_municipality[cell['VESTIGINGSCODE']] = (cell['INSTELLINGSNAAM VESTIGING'], cell['GEMEENTENAAM'])
write('vo_examens_2014_2024_drenthe.csv', columns, [[exams[k][c] for c in columns] for k in sorted(exams)])

# 5. Early school leavers 2015: the secondary locations of the pupils and exam files.
secondary = set(pupils) | set(exam_municipality)
header, rows = read('vo_vsv_per_vestiging_2015_nl.csv')
write('vo_vsv_per_vestiging_2015_drenthe.csv', header, [r for r in rows if r[1] + r[2] in secondary])

# 6. Every location's municipality: DUO's municipality number (primary), the exam files'
# municipality (secondary), else the CBS town the pupils file names (towns_2021.csv).
with open(TOWNS, newline='', encoding='utf-8') as f:
    towns = {r['name'].upper(): r['municipality'] for r in csv.DictReader(f)}
for code in sorted(secondary):
    if code in exam_municipality:
        name, municipality = exam_municipality[code]
        locations[code] = (name, MUNICIPALITIES[municipality], 'GEMEENTENAAM')
    else:
        name, place = pupils[code]
        locations[code] = (name, towns[place], 'PLAATSNAAM VESTIGING')
write('vestigingen_gemeente_2019.csv', ['vestigingscode', 'naam', 'gemeentecode', 'bepaald_uit'],
      [[code, *locations[code]] for code in sorted(locations)])
