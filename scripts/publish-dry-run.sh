#!/usr/bin/env bash
# `npm publish --dry-run` for every public package (CI): builds them, then lets npm pack and
# check each one as it would publish it, without publishing. Fails on the first package that
# npm refuses, or whose tarball lacks its LICENSE, README, CHANGELOG or built entry points.
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t packages < <(node -e '
  const { readdirSync, readFileSync } = require("node:fs");
  const dirs = ["packages/core",
    ...["packages/adapters", "packages/stores"].flatMap((g) => readdirSync(g).map((n) => `${g}/${n}`))];
  for (const dir of dirs) {
    const manifest = JSON.parse(readFileSync(`${dir}/package.json`, "utf8"));
    if (!manifest.private) console.log(dir);
  }')

filters=()
for dir in "${packages[@]}"; do filters+=("--filter=./$dir"); done
TURBO_TELEMETRY_DISABLED=1 npx turbo run build --output-logs=errors-only "${filters[@]}"

for dir in "${packages[@]}"; do
  report=$(cd "$dir" && npm publish --dry-run --json --ignore-scripts 2>/dev/null)
  node -e '
    const [dir, text] = process.argv.slice(1);
    const report = JSON.parse(text.slice(text.indexOf("{")));
    const entry = report.id ? report : Object.values(report)[0];
    const files = entry.files.map((file) => file.path);
    const manifest = require(`./${dir}/package.json`);
    const needed = ["LICENSE", "README.md", "CHANGELOG.md", "package.json"];
    for (const target of Object.values(manifest.exports).flatMap((e) => typeof e === "string" ? [e] : Object.values(e)))
      needed.push(target.replace(/^\.\//, ""));
    const missing = needed.filter((file) => !files.includes(file));
    if (missing.length > 0) { console.error(`${entry.id}: tarball lacks ${missing.join(", ")}`); process.exit(1); }
    console.log(`${entry.id}: ${files.length} files, ${entry.size} bytes packed (dry run, not published)`);
  ' "$dir" "$report"
done
