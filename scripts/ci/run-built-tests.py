#!/usr/bin/env python3
"""Runs the test binaries that `cargo test --workspace` built, for the named packages only.

`cargo test -p leefbaar-store -p leefbaar-server` would resolve the dependencies' features for
those two packages alone, which differ from the whole workspace's (clap, tracing-core, the fact
sheet's default features), and so rebuild the server and every test binary a second time: some
3 GB of disk and four minutes on a CI machine. Asking cargo for the executables of the
workspace's own build (`--no-run`, which finds them fresh) and running them here reuses them.

Usage: run-built-tests.py PACKAGE... [-- ARGS FOR EVERY TEST BINARY]
Run it in the workspace, with the environment the tests need (CARGO_TARGET_DIR too, if set);
each binary runs in its package's directory, as `cargo test` runs it. Exit status: 0 when every
binary passed, 1 otherwise, 2 when a named package has no test binary.
"""

import json
import os
import subprocess
import sys


def main(argv):
    if "--" in argv:
        split = argv.index("--")
        packages, test_args = argv[:split], argv[split + 1 :]
    else:
        packages, test_args = argv, []
    if not packages or any(p.startswith("-") for p in packages):
        print(__doc__, file=sys.stderr)
        return 2
    built = subprocess.run(
        ["cargo", "test", "--workspace", "--no-run", "--message-format=json-render-diagnostics"],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    binaries = []
    for line in built.stdout.splitlines():
        message = json.loads(line)
        if message.get("reason") != "compiler-artifact" or not message.get("executable"):
            continue
        if not message["profile"]["test"]:
            continue
        package = package_name(message["package_id"])
        if package in packages:
            directory = os.path.dirname(message["manifest_path"])
            binaries.append((package, message["target"]["name"], message["executable"], directory))
    missing = set(packages) - {package for package, _, _, _ in binaries}
    if missing:
        print(f"no test binary built for: {', '.join(sorted(missing))}", file=sys.stderr)
        return 2
    failed = []
    for package, target, executable, directory in binaries:
        print(f"     Running {package} ({target}): {executable}", flush=True)
        if subprocess.run([executable, *test_args], cwd=directory).returncode != 0:
            failed.append(f"{package} ({target})")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


def package_name(package_id):
    # `path+file:///…/crates/leefbaar-store#0.1.0` names the package by its directory;
    # `path+file:///…#leefbaar-store@0.1.0` by name. Both forms occur across cargo versions.
    fragment = package_id.split("#", 1)[-1]
    if "@" in fragment:
        return fragment.split("@", 1)[0]
    return package_id.split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
