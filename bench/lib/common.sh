# Shared by the benchmarks (bench/README.md): build, start the packaged application and an S3Proxy, make a tenant,
# run and parse wrk and pgbench, count CPU, and the arithmetic (awk: no Python for numbers).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
BENCH_NAME=$(basename "$0")
ADMIN_KEY=wharf_benchadmin00_benchmark-bootstrap-key-not-a-secret-0001
PGHOST=${WHARF_DB_HOST:-localhost}; PGPORT=${WHARF_DB_PORT:-5432}; PGUSER=${WHARF_DB_USER:-postgres}
export PGPASSWORD=${WHARF_DB_PASSWORD:-postgres}
OUT=$ROOT/target/bench; mkdir -p "$OUT"
APP_PID=

fail() { echo "$BENCH_NAME: $*" >&2; exit 1; }

# ensure_commands <command[:Debian package]>...: installs from Debian (apt) whatever is missing
ensure_commands() {
  local missing=() c
  for c in "$@"; do command -v "${c%%:*}" >/dev/null || missing+=("${c#*:}"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]} (apt)"
    (apt-get update -qq && apt-get install -y -qq "${missing[@]}") >/dev/null
  fi
}

# ---- the benchmarks' Java: one Maven project, bench/java/pom.xml ----
BENCH_JAR=bench/java/target/wharf-bench.jar
# bench_build [maven options...]: builds bench/java/target/wharf-bench.jar and its dependencies (bench/java/target/lib)
bench_build() { ./mvnw -B -q -ntp -f bench/java/pom.xml package "$@"; }
# bench_java [java options...] <main class> [args...]: runs one of the bench project's tools on its dependencies
bench_java() { java -cp "$BENCH_JAR:bench/java/target/lib/*" "$@"; }

# ensure_tools: PostgreSQL, wrk, pgbench and jq, and Wharf built (target/quarkus-app)
ensure_tools() {
  bin/ensure-postgres
  ensure_commands wrk jq
  command -v pgbench >/dev/null || fail "pgbench is missing (Debian: postgresql-client or postgresql)"
  ./mvnw -B -q -ntp package -DskipTests
}

psql_db() { psql -X -q -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" "$@"; }
# fresh_db <database>: drops it if it exists and creates it empty; drop_db <database>
fresh_db() { psql_db -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1" >/dev/null; }
drop_db() { psql_db -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >/dev/null 2>&1; }
# settle <database>: vacuumed tables and a clean checkpoint, so that a run does not pay for the one before it
settle() { psql_db -d "$1" -c "VACUUM ANALYZE" -c "CHECKPOINT" >/dev/null; }

# start_app <db> <port> [extra -D options...]; sets APP_PID
# (APP_JAVA_OPTS: more JVM options for the application, e.g. a flight recording:
#  APP_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/wharf.jfr,settings=profile" bench/copy)
start_app() {
  local db=$1 port=$2; shift 2
  # shellcheck disable=SC2086 # APP_JAVA_OPTS is a list of options
  java -Xmx1g ${APP_JAVA_OPTS:-} -Dquarkus.http.port="$port" \
    -Dquarkus.datasource.jdbc.url="jdbc:postgresql://$PGHOST:$PGPORT/$db" -Dquarkus.datasource.username="$PGUSER" \
    -Dquarkus.datasource.password="$PGPASSWORD" -Dwharf.auth.bootstrap-admin-key="$ADMIN_KEY" \
    -Dwharf.crypto.keys="bench:$(printf 'bench-key-0123456789abcdef012345' | base64)" \
    -Dquarkus.s3.endpoint-override=http://127.0.0.1:9 -Dquarkus.log.level=WARN "$@" \
    -jar "${APP_DIR:-target/quarkus-app}/quarkus-run.jar" > "$OUT/app-$port.log" 2>&1 &
  APP_PID=$!
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$port/q/health/live" >/dev/null && return 0
    kill -0 "$APP_PID" 2>/dev/null || { cat "$OUT/app-$port.log" >&2; return 1; }
    sleep 0.5
  done
  echo "Wharf did not start" >&2; return 1
}

# stop_app: stops the application started last, if any, and waits until it has exited
stop_app() {
  [ -n "$APP_PID" ] || return 0
  kill "$APP_PID" 2>/dev/null || true
  while kill -0 "$APP_PID" 2>/dev/null; do sleep 0.2; done
}

# new_tenant <port> -> prints "<tenant id> <key>"
new_tenant() {
  curl -sf -H "Authorization: Bearer $ADMIN_KEY" -H 'Content-Type: application/json' \
    -d '{"name": "bench", "scopes": ["client"]}' "http://127.0.0.1:$1/api/admin/tenants" | jq -r '"\(.tenant.id) \(.apiKey.key)"'
}

# wrk_run <label> <args...>: prints "<requests/s> <p99 ms> <non-2xx>"
wrk_run() {
  local label=$1; shift
  wrk --latency "$@" > "$OUT/wrk-$label.txt"
  awk '/Requests\/sec:/ {rps = $2}
       $1 == "99%" {v = $2 + 0; u = $2; sub(/^[0-9.]+/, "", u); p99 = v * (u == "us" ? 0.001 : u == "s" ? 1000 : 1)}
       /Non-2xx or 3xx responses:/ {bad = $NF}
       END {printf "%.1f %.2f %d\n", rps, p99, bad}' "$OUT/wrk-$label.txt"
}

# warm_up <label> <wrk args...>: repeats 5-second wrk runs until the rate stops rising (two runs in a row
# less than 3% above the best so far, at most 24 runs), so that the JIT has compiled the path measured next.
# On 2 shared cores the compiler threads starve under load and the queue takes a minute or more to drain.
warm_up() {
  local label=$1; shift
  local best=0 flat=0 rate rates=""
  for _ in $(seq 1 24); do
    rate=$(wrk "$@" -d5s | sed -nE 's/^Requests\/sec:\s+([0-9.]+).*/\1/p')
    rates="$rates ${rate%.*}"
    if above "$rate" "$best" 1.03; then best=$rate; flat=0; else flat=$((flat + 1)); fi
    [ "$flat" -ge 2 ] && break
  done
  echo "warm-up $label (req/s per 5 s):$rates" >&2
}

# pgbench_run <label> <db> <script> <clients> <seconds>: prints "<tps> <p99 ms>"
pgbench_run() {
  local label=$1 db=$2 script=$3 clients=$4 secs=$5
  rm -f "$OUT"/pgb-"$label".*
  pgbench -n -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -c "$clients" -j 2 -T "$secs" -f "$script" \
    -l --log-prefix="$OUT/pgb-$label" "$db" > "$OUT/pgbench-$label.txt" 2>&1
  local tps; tps=$(grep -E '^tps' "$OUT/pgbench-$label.txt" | head -1 | sed -E 's/tps = ([0-9.]+).*/\1/')
  local p99; p99=$(cat "$OUT"/pgb-"$label".* | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END {i=int(NR*0.99); if (i<1) i=1; printf "%.2f", a[i]/1000}')
  echo "$tps $p99"
}

# ---- arithmetic ----
# calc <expression> [decimals, default 1]: the expression (numbers, + - * / and parentheses) evaluated by awk
calc() { awk "BEGIN {printf \"%.${2:-1}f\n\", $1}"; }
# ratio <a> <b>: a / b with 2 decimals
ratio() { calc "$1 / $2" 2; }
# above <a> <b> <factor>: true when a > b * factor
above() { awk -v a="$1" -v b="$2" -v f="$3" 'BEGIN {exit !(a > b * f)}'; }
# median <number>...: the middle one (the upper middle of an even count)
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# ---- CPU accounting (on 2 shared cores a rate is won or lost in CPU) ----
CLK_TCK=$(getconf CLK_TCK)
# cpu_ticks <pid...>: utime + stime of the processes (those still running), in clock ticks
cpu_ticks() {
  local t=0 p
  for p in "$@"; do
    if [ -r "/proc/$p/stat" ]; then t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); fi
  done
  echo "$t"
}
# machine_ticks: "<busy> <total>" clock ticks of the whole machine since boot
machine_ticks() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8}' /proc/stat; }
# per_unit_ms <ticks> <units>: milliseconds of CPU per unit, 2 decimals
per_unit_ms() { calc "1000 * $1 / $CLK_TCK / $2" 2; }
# busy_pct <busy ticks> <total ticks>: how busy the machine was, in percent
busy_pct() { awk -v b="$1" -v t="$2" 'BEGIN {printf "%.0f\n", 100 * b / (t > 1 ? t : 1)}'; }
# db_backends <database>: the PIDs of the backends serving it (but this psql's own and the bench's poller)
db_backends() {
  psql_db -d "$1" -Atc "SELECT pid FROM pg_stat_activity WHERE datname = '$1' AND pid <> pg_backend_pid()
    AND application_name <> 'wharf-bench-poll'" | tr '\n' ' '
}

# free_port: prints a TCP port on loopback that nothing listens on right now
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# S3 for benches that store objects: an S3Proxy of their own (the jar the build copies to target/s3proxy,
# filesystem backend under <dir>, so nothing outlives the run), with the bucket Wharf expects.
S3_BUCKET=wharf-files; S3_ACCESS_KEY=local-access; S3_SECRET_KEY=local-secret; S3_PID=
# start_s3proxy <data dir>; sets S3_PID, S3_ENDPOINT and S3_APP_OPTS (the -D options that point start_app at it)
start_s3proxy() {
  local dir=$1 port; port=$(free_port)
  rm -rf "$dir"; mkdir -p "$dir/blobs"
  S3_ENDPOINT=http://127.0.0.1:$port
  cat > "$dir/s3proxy.conf" <<CONF
s3proxy.endpoint=$S3_ENDPOINT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_ACCESS_KEY
s3proxy.credential=$S3_SECRET_KEY
jclouds.provider=filesystem
jclouds.filesystem.basedir=$dir/blobs
CONF
  [ -f target/s3proxy/s3proxy.jar ] || ./mvnw -B -q -ntp dependency:copy@fetch-s3proxy
  java -Xmx512m -jar target/s3proxy/s3proxy.jar --properties "$dir/s3proxy.conf" > "$dir/s3proxy.log" 2>&1 &
  S3_PID=$!
  for _ in $(seq 1 120); do
    # any HTTP answer (403 without a signature) means it is up; then the bucket, signed like any S3 client would
    if curl -s -o /dev/null "$S3_ENDPOINT/"; then
      # (curl signs the payload hash header only when it is given: this one is the SHA-256 of the empty body)
      curl -sf -o /dev/null -X PUT --aws-sigv4 "aws:amz:us-east-1:s3" -u "$S3_ACCESS_KEY:$S3_SECRET_KEY" \
        -H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" "$S3_ENDPOINT/$S3_BUCKET" ||
        { echo "could not create bucket $S3_BUCKET in S3Proxy (see $dir/s3proxy.log)" >&2; return 1; }
      S3_APP_OPTS=(-Dquarkus.s3.endpoint-override="$S3_ENDPOINT" -Dquarkus.s3.path-style-access=true
        -Dquarkus.s3.aws.credentials.type=static -Dquarkus.s3.aws.credentials.static-provider.access-key-id="$S3_ACCESS_KEY"
        -Dquarkus.s3.aws.credentials.static-provider.secret-access-key="$S3_SECRET_KEY" -Dwharf.s3.bucket="$S3_BUCKET")
      return 0
    fi
    kill -0 "$S3_PID" 2>/dev/null || { cat "$dir/s3proxy.log" >&2; return 1; }
    sleep 0.5
  done
  echo "S3Proxy did not start (see $dir/s3proxy.log)" >&2; return 1
}

# stop_s3proxy: stops the S3Proxy started by start_s3proxy, if any, and waits until it has exited
stop_s3proxy() {
  [ -n "$S3_PID" ] || return 0
  kill "$S3_PID" 2>/dev/null || true
  while kill -0 "$S3_PID" 2>/dev/null; do sleep 0.2; done
  S3_PID=
}
