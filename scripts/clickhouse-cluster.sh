#!/usr/bin/env bash
# A 2-shard ClickHouse cluster on loopback, for tests: two clickhouse-server
# processes (Debian's package, 18.16 here) started without systemd, each with
# its own ports and data folder, and a `remote_servers` section naming the
# 2-shard cluster `footprint`.
#
#   scripts/clickhouse-cluster.sh start  [DIR]        starts both, waits for GET /ping, writes DIR/shard-N.pid
#   scripts/clickhouse-cluster.sh schema [DIR] [DB]   creates DB, DB.events_local on each shard, DB.events (Distributed) on each
#   scripts/clickhouse-cluster.sh stop   [DIR]        stops both by their PIDs
#   scripts/clickhouse-cluster.sh urls   [DIR]        prints each shard's HTTP URL, one a line
#
# DIR defaults to ${TMPDIR:-/tmp}/footprint-clickhouse. Ports: shard N (1, 2)
# listens on HTTP 18120+N, TCP 19000+N, interserver 19100+N; set
# FOOTPRINT_CH_PORT_BASE (default 0) to shift all of them, e.g. for two
# clusters at once. The shard tables follow README "Scaling out with
# ClickHouse" (server/clickhouse/schema.ts holds the same statements).
set -euo pipefail

command="${1:-}"
dir="${2:-${TMPDIR:-/tmp}/footprint-clickhouse}"
db="${3:-footprint}"
base="${FOOTPRINT_CH_PORT_BASE:-0}"
SHARDS=(1 2)

http_port() { echo $((18120 + base + $1)); }
tcp_port() { echo $((19000 + base + $1)); }
interserver_port() { echo $((19100 + base + $1)); }
url_of() { echo "http://127.0.0.1:$(http_port "$1")"; }

die() { echo "clickhouse-cluster: $*" >&2; exit 1; }

# Debian's package, installed when missing and allowed (root with apt-get).
ensure_installed() {
  command -v clickhouse-server >/dev/null && command -v clickhouse-client >/dev/null && return
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    echo "clickhouse-cluster: installing clickhouse-server and clickhouse-client with apt-get (about 30 s)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q clickhouse-server clickhouse-client >/dev/null ||
      { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q clickhouse-server clickhouse-client >/dev/null; } ||
      die "apt-get could not install clickhouse-server clickhouse-client"
  else
    die "clickhouse-server is not installed: run 'sudo apt-get install clickhouse-server clickhouse-client' (Debian), or install ClickHouse from clickhouse.com"
  fi
}

# Sends one statement to a shard over HTTP; prints the answer, fails with ClickHouse's message.
sql() {
  local shard="$1" statement="$2" settings="${3:-}" out
  if ! out="$(curl -sS --fail-with-body --data-binary "$statement" "$(url_of "$shard")/?$settings")"; then
    die "shard $shard refused: $statement -> $out"
  fi
  printf '%s' "$out"
}

write_config() {
  local shard="$1" home="$dir/shard-$1"
  mkdir -p "$home/data" "$home/tmp" "$home/user_files" "$home/log"
  # The users file of the package (user `default`, no password, loopback), copied so the server finds it beside its config.
  cp /etc/clickhouse-server/users.xml "$home/users.xml"
  cat > "$home/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <logger>
    <level>warning</level>
    <log>$home/log/server.log</log>
    <errorlog>$home/log/server.err.log</errorlog>
    <size>10M</size>
    <count>2</count>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>$(http_port "$shard")</http_port>
  <tcp_port>$(tcp_port "$shard")</tcp_port>
  <interserver_http_port>$(interserver_port "$shard")</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <path>$home/data/</path>
  <tmp_path>$home/tmp/</tmp_path>
  <user_files_path>$home/user_files/</user_files_path>
  <users_config>$home/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>268435456</mark_cache_size>
  <max_concurrent_queries>100</max_concurrent_queries>
  <macros><shard>$shard</shard></macros>
  <remote_servers>
    <footprint>
$(for s in "${SHARDS[@]}"; do printf '      <shard><replica><host>127.0.0.1</host><port>%s</port></replica></shard>\n' "$(tcp_port "$s")"; done)
    </footprint>
  </remote_servers>
</yandex>
XML
}

start() {
  ensure_installed
  mkdir -p "$dir"
  local shard pid
  for shard in "${SHARDS[@]}"; do
    if [[ -f "$dir/shard-$shard.pid" ]] && kill -0 "$(cat "$dir/shard-$shard.pid")" 2>/dev/null; then
      die "shard $shard already runs (PID $(cat "$dir/shard-$shard.pid")): run '$0 stop $dir' first"
    fi
    write_config "$shard"
    # The package's own start (systemd) is not used: the server runs in the background, its PID kept.
    nohup clickhouse-server --config-file="$dir/shard-$shard/config.xml" > "$dir/shard-$shard/log/stdout.log" 2>&1 &
    echo $! > "$dir/shard-$shard.pid"
  done
  for shard in "${SHARDS[@]}"; do
    local tries=0
    until [[ "$(curl -s "$(url_of "$shard")/ping" 2>/dev/null)" == "Ok." ]]; do
      pid="$(cat "$dir/shard-$shard.pid")"
      kill -0 "$pid" 2>/dev/null || die "shard $shard (PID $pid) exited: see $dir/shard-$shard/log/"
      (( ++tries > 300 )) && die "shard $shard does not answer $(url_of "$shard")/ping after 30 s: see $dir/shard-$shard/log/"
      sleep 0.1
    done
    echo "shard $shard: $(url_of "$shard") (PID $(cat "$dir/shard-$shard.pid"))"
  done
}

stop() {
  local shard pid tries
  for shard in "${SHARDS[@]}"; do
    [[ -f "$dir/shard-$shard.pid" ]] || continue
    pid="$(cat "$dir/shard-$shard.pid")"
    if kill "$pid" 2>/dev/null; then
      tries=0
      while kill -0 "$pid" 2>/dev/null; do
        (( ++tries > 150 )) && { kill -9 "$pid" 2>/dev/null || true; break; }
        sleep 0.1
      done
      echo "shard $shard stopped (PID $pid)"
    fi
    rm -f "$dir/shard-$shard.pid"
  done
}

schema() {
  [[ "$db" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "database name '$db' must be letters, digits and _ (not starting with a digit)"
  local shard
  for shard in "${SHARDS[@]}"; do
    sql "$shard" "CREATE DATABASE IF NOT EXISTS \`$db\`"
    # 18.16 has no DateTime64: ts is epoch milliseconds. Same columns as server/clickhouse/schema.ts; LowCardinality
    # is still experimental in 18.16 (the setting is unknown to no version since, and harmless on them).
    sql "$shard" "CREATE TABLE IF NOT EXISTS \`$db\`.events_local (
      project LowCardinality(String), uuid String, event String, user_id String, session_id String DEFAULT '',
      ts Int64, seq Int64, properties String, inserted_at DateTime DEFAULT now()
    ) ENGINE = ReplacingMergeTree PARTITION BY toYYYYMM(toDateTime(intDiv(ts, 1000))) ORDER BY (project, user_id, ts, uuid)" \
      allow_experimental_low_cardinality_type=1
    sql "$shard" "CREATE TABLE IF NOT EXISTS \`$db\`.events AS \`$db\`.events_local ENGINE = Distributed(footprint, \`$db\`, events_local, cityHash64(user_id))" \
      allow_experimental_low_cardinality_type=1
  done
  echo "schema $db: events_local on ${#SHARDS[@]} shards, events = Distributed(footprint, $db, events_local, cityHash64(user_id))"
}

case "$command" in
  start) start ;;
  stop) stop ;;
  schema) schema ;;
  urls) for shard in "${SHARDS[@]}"; do url_of "$shard"; done ;;
  *) echo "usage: $0 start|stop|schema|urls [DIR] [DB]" >&2; exit 2 ;;
esac
