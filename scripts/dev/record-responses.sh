#!/usr/bin/env bash
# Records the bodies and statuses of a fixed set of requests against a running Leefbaar, so that
# a restructuring can be checked to change no byte of what the routes answer:
#
#   scripts/dev/record-responses.sh http://127.0.0.1:8080 /tmp/before
#   ... change the code, rebuild, restart ...
#   scripts/dev/record-responses.sh http://127.0.0.1:8080 /tmp/after
#   diff -r /tmp/before /tmp/after
#
# Volatile values are replaced before writing: import timestamps ([TIMESTAMP]), dates of the
# day ([DATE]) and computation times ([MS]). Needs curl.
set -euo pipefail
base=${1:?usage: record-responses.sh BASE_URL OUT_DIR}
out=${2:?usage: record-responses.sh BASE_URL OUT_DIR}
mkdir -p "$out"
paths=(
  "/"
  "/api/v1"
  "/api/v1/areas"
  "/api/v1/areas?level=municipality&parent=PV22"
  "/api/v1/areas?level=district&parent=GM0114&year=2024"
  "/api/v1/areas/GM0114"
  "/api/v1/areas/WK011401"
  "/api/v1/areas/GM0114/profile?indicator=share_65_plus&lang=nl"
  "/api/v1/areas/WK011401/profile?lang=en"
  "/api/v1/areas/PV22/profile"
  "/api/v1/areas/GM0114/similar"
  "/api/v1/boundaries?level=municipality&parent=PV22"
  "/api/v1/boundaries?level=district"
  "/api/v1/boundaries?level=neighbourhood"
  "/api/v1/boundaries?level=province"
  "/api/v1/indicators"
  "/api/v1/indicators/share_65_plus"
  "/api/v1/indicators/reach_distance_primary_school"
  "/api/v1/observations?indicator=share_65_plus&level=municipality&parent=PV22&year=2024"
  "/api/v1/observations?indicator=inhabitants&level=municipality&format=csv"
  "/api/v1/observations?indicator=inhabitants&level=district&format=csv"
  "/api/v1/observations?indicator=reach_distance_primary_school&level=neighbourhood"
  "/api/v1/observations?indicator=projected_inhabitants&area=PV22,NL01"
  "/api/v1/observations?indicator=nope"
  "/api/v1/compare?area=GM0114,GM0106&indicator=share_65_plus"
  "/api/v1/sources"
  "/api/v1/search?q=emmen"
  "/api/v1/search?q=9401AB"
  "/api/v1/search?q=Zuidlaren"
  "/api/v1/survey"
  "/api/v1/survey/estimates?question=rating&by=province"
  "/api/v1/survey/estimates?question=future&by=municipality"
  "/api/v1/survey/estimates?question=rating&by=age_group"
  "/api/v1/survey/difference?question=rating&by=province&a=PV20&b=PV22"
  "/api/v1/survey/estimates?question=nope"
  "/api/v1/facilities?kind=hospital"
  "/api/v1/facilities?kind=primary_school"
  "/api/v1/reach/scenario?kind=primary_school&close=10VA00&level=municipality"
  "/api/v1/reach/scenario?kind=primary_school&close=10VA00&level=district"
  "/api/v1/reach/scenario?kind=hospital&open=6.6,52.98"
  "/api/v1/projection"
  "/api/v1/projection/GM0114"
  "/api/v1/projection/oost-drenthe?ages=5"
  "/api/v1/projection/PV22"
  "/api/v1/typology"
  "/api/v1/typology?format=csv&table=shares"
  "/api/v1/areas/GM0114/similar?bubble=prefer"
  "/api/v1/aed/points"
  "/api/v1/aed/white-spots?area=GM1690&min=10"
  "/api/v1/aed/white-spots.csv?rule=evening&area=GM1690"
  "/api/v1/aed/placement?area=GM1690&k=5"
  "/api/v1/aed/placement?area=GM1690&k=2&relocate=true"
  "/api/v1/aed/placement?k=101"
  "/api/v1/openapi.json"
  "/api/v1/nonexistent"
  "/gebied/GM0114"
  "/gebied/GM0114?lang=en"
  "/gebied/WK011401"
  "/gebied/PV22"
  "/gebied/BU01140000"
  "/tabel?indicator=share_65_plus&year=2024&level=municipality"
  "/tabel?indicator=inhabitants&year=2024&level=district&lang=en"
  "/burgerpanel"
  "/burgerpanel?lang=en"
  "/factsheet/GM0114"
  "/factsheet/WK010601?lang=en"
  "/factsheet/PV22"
)
i=0
for path in "${paths[@]}"; do
  i=$((i + 1))
  file=$(printf '%s/%03d.txt' "$out" "$i")
  {
    echo "GET $path"
    curl -s -o - -w '\n[status %{http_code} %{content_type}]\n' "$base$path"
  } | sed -E \
      -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/[TIMESTAMP]/g' \
      -e "s/$(date -u +%Y-%m-%d)/[DATE]/g" \
      -e 's/"computation_ms":[0-9.e-]+/"computation_ms":[MS]/g' \
    >"$file"
done
echo "recorded $i responses in $out"
