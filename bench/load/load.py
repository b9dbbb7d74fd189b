"""Load test of `leefbaar serve` against Datasette on the same SQLite file, on loopback.

Started by `run.sh`, which builds the store and starts both servers. This checks that both
answer the same question with the same rows, runs wrk (closed loop: each connection sends its
next request when the last answer arrived, so a run measures the highest rate the server
sustains), reads each server's resident memory before and after every run, and writes a
Markdown table to the report file.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))

INDICATOR = "inhabitants"

# The SQL `leefbaar-store` runs for `/api/v1/observations?indicator=…&level=…` (its
# `observation_query`), with the note's text joined in as the API serves it.
SQL = (
    "SELECT o.indicator, o.area, o.year, o.value, o.missing_reason, o.method, o.parts, "
    "n.text AS note, o.source_rows "
    "FROM observations AS o JOIN areas AS a ON a.code = o.area "
    "JOIN notes AS n ON n.id = o.note_id "
    "WHERE o.indicator = :indicator AND a.level = :level "
    "ORDER BY o.indicator, o.area, o.year"
)


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def rss_kib(pid):
    """The process's resident set (VmRSS) in KiB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def leefbaar_url(base, level):
    return f"{base}/api/v1/observations?indicator={INDICATOR}&level={level}"


def datasette_url(base, level):
    query = urllib.parse.urlencode(
        {"sql": SQL, "indicator": INDICATOR, "level": level, "_shape": "array"}
    )
    return f"{base}/leefbaar.json?{query}"


def same_rows(leefbaar, datasette, level):
    """Both servers' rows for `level` as (area, year, value); they must be the same."""
    ours = fetch(leefbaar_url(leefbaar, level))["data"]
    theirs = fetch(datasette_url(datasette, level))
    ours = [(row["area"], row["year"], row["value"]) for row in ours]
    theirs = [(row["area"], row["year"], row["value"]) for row in theirs]
    if ours != theirs:
        sys.exit(
            f"the servers answer differently for level={level}: {len(ours)} rows against "
            f"{len(theirs)}; first difference at "
            f"{next((i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b), None)}"
        )
    areas = len({area for area, _, _ in ours})
    return len(ours), areas


def wrk(url, connections, seconds):
    """One wrk run; its summary (see report.lua)."""
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "5s",
        "-s",
        os.path.join(HERE, "report.lua"),
        url,
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    summary = json.loads(output.strip().splitlines()[-1])
    summary["errors_total"] = sum(summary["errors"].values())
    summary["rps"] = summary["requests"] / (summary["duration_us"] / 1e6)
    return summary


def run(label, server, url, pid, connections, seconds, rows):
    before = rss_kib(pid)
    summary = wrk(url, connections, seconds)
    after = rss_kib(pid)
    row = {
        "label": label,
        "server": server,
        "connections": connections,
        "seconds": seconds,
        "rps": summary["rps"],
        "p50_ms": summary["p50_us"] / 1000,
        "p99_ms": summary["p99_us"] / 1000,
        "errors": summary["errors_total"],
        "error_kinds": summary["errors"],
        "mb_per_s": summary["bytes"] / (summary["duration_us"] / 1e6) / 1e6,
        "rss_start_mib": before / 1024,
        "rss_end_mib": after / 1024,
    }
    rows.append(row)
    print(
        f"{label:<34} {server:<9} c={connections:<2} {seconds:>3} s  {row['rps']:>9.0f} req/s  "
        f"p50 {row['p50_ms']:7.2f} ms  p99 {row['p99_ms']:7.2f} ms  errors {row['errors']}  "
        f"RSS {row['rss_start_mib']:.0f} → {row['rss_end_mib']:.0f} MiB",
        flush=True,
    )
    return row


def machine():
    model = "unknown CPU"
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as meminfo:
        total_kib = int(meminfo.readline().split()[1])
    return f"{model}, {os.cpu_count()} cores, {total_kib / 1024 / 1024:.0f} GiB, {platform.system()} {platform.release()}"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--leefbaar", required=True, help="base URL of leefbaar serve")
    parser.add_argument("--leefbaar-pid", required=True, type=int)
    parser.add_argument("--datasette", required=True, help="base URL of datasette")
    parser.add_argument("--datasette-pid", required=True, type=int)
    parser.add_argument("--store", required=True, help="the SQLite file both serve")
    parser.add_argument("--short", type=int, default=10, help="seconds of the comparison runs")
    parser.add_argument("--long", type=int, default=60, help="seconds of the endurance runs")
    parser.add_argument("--out", required=True, help="the Markdown report to write")
    parser.add_argument("--versions", default="", help="versions line for the report")
    parser.add_argument("--postgres", help="base URL of leefbaar serve on a PostgreSQL store")
    parser.add_argument("--postgres-pid", type=int)
    args = parser.parse_args()
    # The servers asked the same questions: Leefbaar on SQLite, and on PostgreSQL when given.
    ours_servers = [("Leefbaar", args.leefbaar, args.leefbaar_pid)]
    if args.postgres:
        ours_servers.append(("Leefbaar (PostgreSQL)", args.postgres, args.postgres_pid))

    load_start = os.getloadavg()
    districts = same_rows(args.leefbaar, args.datasette, "district")
    municipalities = same_rows(args.leefbaar, args.datasette, "municipality")
    if args.postgres:
        assert same_rows(args.postgres, args.datasette, "district") == districts
        assert same_rows(args.postgres, args.datasette, "municipality") == municipalities
    print(
        f"same rows from both: {districts[0]} district rows ({districts[1]} districts), "
        f"{municipalities[0]} municipality rows ({municipalities[1]} municipalities)",
        flush=True,
    )
    kind = "primary_school"
    facilities = fetch(f"{args.leefbaar}/api/v1/facilities?kind={kind}")["data"]["features"]
    closed = facilities[0]["properties"]["id"]
    scenario = f"{args.leefbaar}/api/v1/reach/scenario?kind={kind}&close={closed}&level=district"
    profile = f"{args.leefbaar}/api/v1/areas/GM0114/profile"

    rows = []
    for level, label in [("district", "districts"), ("municipality", "municipalities")]:
        for connections in (1, 16):
            ours = [
                run(
                    f"observations, all {label}",
                    server,
                    leefbaar_url(base, level),
                    pid,
                    connections,
                    args.short,
                    rows,
                )
                for server, base, pid in ours_servers
            ]
            theirs = run(
                f"observations, all {label}",
                "Datasette",
                datasette_url(args.datasette, level),
                args.datasette_pid,
                connections,
                args.short,
                rows,
            )
            for row in ours:
                row["ratio"] = row["rps"] / theirs["rps"] if theirs["rps"] else float("inf")
    for server, base, pid in ours_servers:
        for label, url in [
            ("observations, all districts", leefbaar_url(base, "district")),
            ("profile GM0114", profile.replace(args.leefbaar, base)),
            (f"reach scenario (close {closed})", scenario.replace(args.leefbaar, base)),
        ]:
            run(label, server, url, pid, 16, args.long, rows)
    load_end = os.getloadavg()
    metrics = urllib.request.urlopen(f"{args.leefbaar}/metrics", timeout=10).read().decode()
    cache = {
        line.split()[0]: line.split()[1]
        for line in metrics.splitlines()
        if line.startswith("leefbaar_response_cache_")
    }

    lines = [
        "# Load test: Leefbaar against Datasette",
        "",
        f"Machine: {machine()}. Load average at start {load_start[0]:.1f}, at end {load_end[0]:.1f} "
        "(other processes share the cores).",
        f"Store: {os.path.getsize(args.store) / 1e6:.1f} MB (`leefbaar demo --no-serve`); "
        f"question: indicator `{INDICATOR}`, all districts ({districts[0]} rows, "
        f"{districts[1]} districts) and all municipalities ({municipalities[0]} rows, "
        f"{municipalities[1]} municipalities), every year; both servers answer the same rows.",
        f"{args.versions}",
        "wrk on loopback, one thread, closed loop. `ratio` is Leefbaar's requests per second over "
        f"Datasette's in the same run. The {args.long} s runs are Leefbaar's alone.",
        "",
        "| question | server | connections | s | req/s | ratio | p50 ms | p99 ms | errors | MB/s | RSS start MiB | RSS end MiB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        ratio = f"{row['ratio']:.1f}×" if "ratio" in row else ""
        lines.append(
            f"| {row['label']} | {row['server']} | {row['connections']} | {row['seconds']} | "
            f"{row['rps']:,.0f} | {ratio} | {row['p50_ms']:.2f} | {row['p99_ms']:.2f} | "
            f"{row['errors']} | {row['mb_per_s']:,.0f} | {row['rss_start_mib']:.0f} | "
            f"{row['rss_end_mib']:.0f} |"
        )
    lines += [
        "",
        "Leefbaar's response cache at the end: "
        + ", ".join(f"`{name}` {value}" for name, value in sorted(cache.items())),
        "",
    ]
    report = "\n".join(lines)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as out:
        out.write(report)
    print()
    print(report)
    if any(row["errors"] for row in rows):
        sys.exit("some runs had errors (see the table)")


if __name__ == "__main__":
    main()
