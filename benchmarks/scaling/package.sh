#!/usr/bin/env bash
# Packages the scaling benchmark for a machine with no Java and no network (x86-64 Linux with
# bash, python3 and coreutils): a jlink runtime for the fat JAR(s), the JAR(s), the static C
# generator, bin/bench-scaling and run-device.sh, into .device/ at the repository root (ignored:
# /.device/ is in .git/info/exclude).
#
#   benchmarks/scaling/package.sh NEW.jar [BASE.jar]      # or LABEL=PATH ... (labels: letters, digits, - _)
#   benchmarks/scaling/package.sh                         # verticles-example/target/spoa-agent.jar as "new"
#
# Then there:  .device/run-device.sh       (see its header; OUT=dir for the results)
# Environment: DEVICE_DIR (default <repo>/.device), JDK_HOME (the JDK whose jlink/jdeps/jar to use:
# default the one of `java` on PATH), JDEPS_MODULES (skip jdeps: a module list).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dev="${DEVICE_DIR:-$root/.device}"
jdk="${JDK_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
for t in jlink jdeps jar; do [[ -x "$jdk/bin/$t" ]] || { echo "package: no $t in $jdk/bin (set JDK_HOME)" >&2; exit 1; }; done
for t in xz tar strip; do command -v $t > /dev/null || { echo "package: $t missing" >&2; exit 1; }; done

# labels and paths: first argument "new", second "base", or LABEL=PATH
specs=()
if [[ $# == 0 ]]; then set -- "$root/verticles-example/target/spoa-agent.jar"; fi
i=0
for a in "$@"; do
  if [[ "$a" == *=* && ! -f "$a" ]]; then label="${a%%=*}"; path="${a#*=}"
  else label=$([[ $i == 0 ]] && echo new || ([[ $i == 1 ]] && echo base || echo "jar$i")); path="$a"; fi
  [[ "$label" =~ ^[A-Za-z0-9_-]+$ ]] || { echo "package: bad label '$label'" >&2; exit 1; }
  [[ -f "$path" ]] || { echo "package: no such JAR: $path" >&2; exit 1; }
  specs+=("$label=$(realpath "$path")")
  i=$((i + 1))
done

# keep .device out of git (the exclude file is shared by the worktrees of the repository)
if [[ "$dev" == "$root/.device" ]] && common="$(git -C "$root" rev-parse --git-common-dir 2>/dev/null)"; then
  [[ "$common" = /* ]] || common="$root/$common"
  mkdir -p "$common/info"
  grep -qx '/.device/' "$common/info/exclude" 2>/dev/null || echo '/.device/' >> "$common/info/exclude"
fi

tmp="$(mktemp -d /tmp/spoa-package.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
rm -rf "$dev"
mkdir -p "$dev"

# 1. modules: jdeps over every JAR, plus what the JVM needs at run time for the agent
mods="${JDEPS_MODULES:-}"
if [[ -z "$mods" ]]; then
  for s in "${specs[@]}"; do
    m="$("$jdk/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 17 "${s#*=}")"
    echo "package: jdeps ${s%%=*}: $m"
    mods="$mods,$m"
  done
fi
mods="$(echo "$mods,jdk.unsupported,jdk.management,java.management" | tr ',' '\n' | sed '/^$/d' | sort -u | paste -sd, -)"
echo "package: modules $mods"

# 2. runtime: jlink, stripped; tar.xz of the folder "rt"
"$jdk/bin/jlink" --add-modules "$mods" --strip-debug --no-man-pages --no-header-files --output "$tmp/rt"
strip --strip-unneeded "$tmp/rt/lib/server/libjvm.so"
du -sh "$tmp/rt" | sed 's/^/package: runtime unpacked /'
tar -C "$tmp" -cf - rt | xz -9 -T0 > "$dev/rt.tar.xz"

# 3. JARs: stored (uncompressed) copies in one tar.xz with a dictionary big enough to span them all,
#    so a second, nearly identical JAR costs little; java runs a stored JAR as it is
mkdir -p "$tmp/jars"
labels=()
for s in "${specs[@]}"; do
  label="${s%%=*}"; path="${s#*=}"
  x="$tmp/x-$label"
  mkdir -p "$x"
  (cd "$x" && "$jdk/bin/jar" xf "$path")
  mv "$x/META-INF/MANIFEST.MF" "$tmp/MANIFEST-$label.MF"
  "$jdk/bin/jar" --create --no-compress --file "$tmp/jars/spoa-agent-$label.jar" --manifest "$tmp/MANIFEST-$label.MF" -C "$x" .
  rm -rf "$x"
  labels+=("$label")
  echo "package: $label: $path ($(stat -c %s "$path") B) -> spoa-agent-$label.jar stored ($(stat -c %s "$tmp/jars/spoa-agent-$label.jar") B)"
done
total=$(du -cb "$tmp"/jars/*.jar | tail -1 | cut -f1)
dict=$(( (total / 1048576 + 16) ))
tar -C "$tmp/jars" -cf - . | xz --lzma2=preset=9,dict=${dict}MiB -T1 > "$dev/jars.tar.xz"
printf '%s\n' "${labels[@]}" > "$dev/jars.txt"

# 4. generator (static, stripped), the benchmark script, the reputation config, the runner
make -s -C "$root/benchmarks/loadgen-c" spop-load
cp "$root/benchmarks/loadgen-c/spop-load" "$dev/spop-load"
strip "$dev/spop-load"
file "$dev/spop-load" | grep -q "statically linked" || echo "package: WARNING: spop-load is not static" >&2
cp "$root/bin/bench-scaling" "$dev/bench-scaling"
cp "$root/verticles-example/src/main/resources/spoa-agent.json" "$dev/spoa-agent.json"
cp "$here/run-device.sh" "$dev/run-device.sh"
chmod +x "$dev/run-device.sh" "$dev/bench-scaling" "$dev/spop-load"
{
  echo "packaged $(date '+%Y-%m-%d %H:%M:%S %z') from $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
  "$jdk/bin/java" -version 2>&1 | head -1
  echo "modules $mods"
  for s in "${specs[@]}"; do echo "jar ${s%%=*} ${s#*=} sha256 $(sha256sum "${s#*=}" | cut -c1-16)"; done
} > "$dev/PACKAGE.txt"

ls -l "$dev" | sed 's/^/package: /'
du -cb "$dev"/* | tail -1 | awk '{printf "package: total %.1f MiB in %s\n", $1 / 1048576, "'"$dev"'"}'
