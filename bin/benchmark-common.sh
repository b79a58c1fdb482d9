# Shared by the bin/benchmark-* scripts (sourced, not run): the JDK, building a service's
# jar with its benchmark classes, and waiting for others on the shared cores.
#
# The build machine's cores are shared: a script waits for another benchmark (up to 30
# minutes) and for another Maven build (up to 10 minutes) before building and again before
# measuring, and holds /tmp/benchmark-running while it measures so that others can hold off.

cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ -z "${JAVA_HOME:-}" ]; then export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64; fi
benchmark_name="$(basename "$0")"
benchmark_marker=/tmp/benchmark-running

# Waits while another benchmark holds /tmp/benchmark-running (up to 30 minutes), then while
# another Maven build (a plexus-classworlds JVM) runs, for up to 10 minutes.
await_other_builds() {
  local waited=0 holder
  holder="$(grep -o 'pid [0-9]*' "$benchmark_marker" 2>/dev/null | head -1 | cut -d' ' -f2 || true)"
  if [ -n "$holder" ] && ! kill -0 "$holder" 2>/dev/null; then
    echo "$benchmark_name: removing a stale $benchmark_marker (its process $holder is gone)" >&2
    rm -f "$benchmark_marker"
  fi
  while [ -e "$benchmark_marker" ] && [ "$waited" -lt 1800 ]; do
    echo "$benchmark_name: another benchmark is measuring ($(cat "$benchmark_marker" 2>/dev/null)); waiting (${waited}s so far)" >&2
    sleep 30
    waited=$((waited + 30))
  done
  waited=0
  while pgrep -f plexus-classworlds >/dev/null && [ "$waited" -lt 600 ]; do
    echo "$benchmark_name: another Maven build is running; waiting (${waited}s so far)" >&2
    sleep 30
    waited=$((waited + 30))
  done
  if pgrep -f plexus-classworlds >/dev/null; then
    echo "$benchmark_name: a Maven build is still running after 10 minutes; going ahead (see 'PostgreSQL of other databases' and 'unattributed' in the results)" >&2
  fi
}

# build_benchmark <module>...: one reactor build of the modules' jars and test classes, and
# each module's test class path (sibling modules as their freshly packaged jars) in
# <module>/target/benchmark.classpath, with nothing installed into ~/.m2.
# BENCHMARK_SKIP_BUILD=true skips it (the jars and classes of an earlier build are used).
build_benchmark() {
  local modules
  modules="$(IFS=,; echo "$*")"
  if [ "${BENCHMARK_SKIP_BUILD:-}" != "true" ]; then
    await_other_builds
    # Spring Boot's repackaging keeps a jar it finds up to date with the module's own
    # classes, with the sibling jars inside it as they were: a changed usage-contract
    # would not be measured. So the module's jars are always built afresh.
    local stale
    for stale in "$@"; do
      rm -f "$stale"/target/*.jar "$stale"/target/*.jar.original
    done
    ./mvnw -B -q -pl "$modules" -am package dependency:build-classpath -DskipTests \
      -Dspring-javaformat.skip=true -Dmdep.includeScope=test -Dmdep.outputFile=target/benchmark.classpath
  fi
  local module
  for module in "$@"; do
    mkdir -p "$module/target/tmp" "$module/target/benchmark"
  done
}

# run_benchmark <module> <main class> <class path> [args...]: waits for other builds, holds
# /tmp/benchmark-running, and runs the benchmark's main class in a JVM of its own.
run_benchmark() {
  local module="$1" main_class="$2" class_path="$3"
  shift 3
  await_other_builds
  echo "$benchmark_name ($*) started $(date -u +%FT%TZ), pid $$" > "$benchmark_marker"
  trap 'rm -f "$benchmark_marker"' EXIT
  "$JAVA_HOME/bin/java" ${BENCHMARK_JAVA_OPTIONS:-} -Xms2g -Xmx2g --enable-native-access=ALL-UNNAMED \
    -Djava.io.tmpdir="$module/target/tmp" -Dsurefire.test.class.path="$class_path" \
    -cp "$class_path" "$main_class" "$@"
}
