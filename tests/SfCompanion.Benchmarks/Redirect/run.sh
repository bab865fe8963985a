#!/usr/bin/env bash
# The redirect endpoint under load, next to nginx answering `return 302` on the same machine with the same wrk
# settings, on both storage adapters and both click durabilities (Tracking:ClickDurability = Journal, Fsync); then
# kill -9 under load, KILLS times per adapter, and a count of the click log against the redirects wrk received
# (missing and duplicated clicks); then the freshness of a human click in the emulated org with the default schedules.
#
#   tests/SfCompanion.Benchmarks/Redirect/run.sh [throughput] [durability] [freshness]   (all three by default)
#
# Needs: the .NET SDK, wrk, nginx, redis-server, sqlite3, curl, jq (apt-get install -y wrk nginx-light redis-server
# sqlite3 curl jq). Settings: DURATION (10s per measurement), ROUNDS (3), CONNECTIONS (64), THREADS (2), SAMPLES
# (freshness clicks, 5), KILLS (kill -9 runs per adapter, 5), MODES (durabilities measured, "Journal Fsync").
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
HERE="$ROOT/tests/SfCompanion.Benchmarks/Redirect"
WORK=$(mktemp -d /tmp/sfc-redirect-bench.XXXXXX)
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
SAMPLES=${SAMPLES:-5}
KILLS=${KILLS:-5}
read -r -a MODES <<<"${MODES:-Journal Fsync}"
KEY="sfc_bench_$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
BROWSER="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
STEPS=("$@")
[ ${#STEPS[@]} -eq 0 ] && STEPS=(throughput durability freshness)
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$WORK/nginx/nginx.pid" ] && kill "$(cat "$WORK/nginx/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_http() {
  for _ in $(seq 1 300); do curl -fs -o /dev/null "$1" && return 0; sleep 0.2; done
  echo "Timed out waiting for $1" >&2; return 1
}

echo "Building (Release)..."
dotnet publish "$ROOT/src/SfCompanion" -c Release -o "$WORK/app" -v q -nologo >/dev/null
dotnet publish "$ROOT/src/SfCompanion.Emulator" -c Release -o "$WORK/emulator" -v q -nologo >/dev/null

# start_service NAME PORT ARGS... : the service in its own process; its pid in SERVICE_PID.
start_service() {
  local name=$1 port=$2; shift 2
  dotnet "$WORK/app/SfCompanion.dll" --urls "http://127.0.0.1:$port" --Admin:BootstrapKey="$KEY" \
    --Logging:LogLevel:Default=Warning --Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning \
    --Tracking:PublicBaseUrl="http://127.0.0.1:$port" "$@" >"$WORK/$name.log" 2>&1 &
  SERVICE_PID=$!
  PIDS+=("$SERVICE_PID")
  wait_http "http://127.0.0.1:$port/health/live"
}

api() { curl -fsS -H "X-Api-Key: $KEY" -H 'Content-Type: application/json' "$@"; }

# register_link PORT CAMPAIGN RECIPIENT : prints the tracked URL of RECIPIENT for a new link of CAMPAIGN.
register_link() {
  local base="http://127.0.0.1:$1"
  local id
  id=$(api -X POST "$base/api/tracking/links" -d "{\"campaignId\":\"$2\",\"label\":\"Livre blanc\",\"url\":\"https://www.exemple.fr/livre-blanc\"}" | jq -r .link.id)
  api "$base/api/tracking/links/$id/preview?recipientId=$3" | jq -r .url
}

run_wrk() { # URL DURATION
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" --latency -H "User-Agent: $BROWSER" -s "$HERE/count.lua" "$1" | tee -a "$WORK/wrk.txt" | grep '^RESULT'
}

field() { sed -E "s/.* $1=([0-9]+).*/\1/"; }

sqlite_clicks() { sqlite3 "$1" "SELECT COUNT(*) FROM logs WHERE log = 'clicks';"; }
redis_clicks() { redis-cli -p "$1" XLEN "$2:log:clicks"; }

start_redis() { # FSYNC : a fresh redis-server with AOF, its port in REDIS_PORT
  REDIS_PORT=$(free_port)
  # A folder of its own: a server started on an earlier one would first load that one's (large) AOF.
  mkdir -p "$WORK/redis-$1-$REDIS_PORT"
  redis-server --port "$REDIS_PORT" --save "" --appendonly yes --appendfsync "$1" --dir "$WORK/redis-$1-$REDIS_PORT" --daemonize no >"$WORK/redis-$1-$REDIS_PORT.log" 2>&1 &
  PIDS+=("$!")
  for _ in $(seq 1 100); do [ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ] && return 0; sleep 0.1; done
}

# use_adapter ADAPTER NAME : store settings for the service in STORE_ARGS (a fresh Redis for redis-*), and
# count_clicks prints the click log's length in that store.
use_adapter() {
  case $1 in
    sqlite) STORE_ARGS=(--Storage:Provider=Sqlite --Storage:Sqlite:Path="$WORK/$2.db") ;;
    redis-*) start_redis "${1#redis-}"; STORE_ARGS=(--Storage:Provider=Redis --Storage:Redis:ConnectionString="127.0.0.1:$REDIS_PORT" --Storage:Redis:KeyPrefix="$2") ;;
  esac
  ADAPTER=$1
  STORE_NAME=$2
}

count_clicks() { # [ADAPTER STORE-NAME REDIS-PORT], the current adapter by default
  local adapter=${1:-$ADAPTER} store=${2:-$STORE_NAME} redis=${3:-${REDIS_PORT:-}}
  case $adapter in sqlite) sqlite_clicks "$WORK/$store.db" ;; *) redis_clicks "$redis" "$store" ;; esac
}

# settled_count ADAPTER STORE-NAME REDIS-PORT : the click count once it stopped growing for a second (at most 60 s);
# how long that took is noted in drain-lag.txt.
settled_count() {
  local last=-1 now start
  start=$(date +%s.%N)
  for _ in $(seq 1 60); do
    now=$(count_clicks "$@")
    [ "$now" = "$last" ] && break
    last=$now
    sleep 1
  done
  echo "$1 $2 settled after $(echo "$(date +%s.%N) - $start - 1" | bc -l | cut -c1-5) s" >>"$WORK/drain-lag.txt"
  echo "$last"
}

CAMPAIGN=701000000000001AAA
LEAD=00Q000000000001AAA

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Every target is started once, then measured ROUNDS times, the targets taking turns within each round: on a shared
# machine the speed drifts from minute to minute, so each target's requests/s is compared with nginx's in the same
# round, and the table gives medians.
throughput() {
  echo "== Throughput: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, same settings for every target, $ROUNDS rounds"
  declare -A url store redis
  mkdir -p "$WORK/nginx/tmp"
  local nport
  nport=$(free_port)
  sed -e "s#NGINX_DIR#$WORK/nginx#g" -e "s#NGINX_PORT#$nport#g" "$HERE/nginx.conf" >"$WORK/nginx/nginx.conf"
  nginx -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx"
  wait_http "http://127.0.0.1:$nport/" || true
  url[nginx]="http://127.0.0.1:$nport/r/x"
  local adapters=() adapter target mode
  for adapter in sqlite redis-always; do
    for mode in "${MODES[@]}"; do
      local port name=$adapter-${mode,,}
      port=$(free_port)
      use_adapter "$adapter" "throughput-$name"
      start_service "throughput-$name" "$port" --Hosting:Role=web "${STORE_ARGS[@]}" \
        --Tracking:ClickDurability="$mode" --Tracking:JournalDirectory="$WORK/throughput-$name-journal"
      url[$name]=$(register_link "$port" "$CAMPAIGN" "$LEAD")
      store[$name]=$STORE_NAME
      redis[$name]=${REDIS_PORT:-}
      adapters+=("$name")
    done
  done
  local targets=(nginx "${adapters[@]}")
  for target in "${targets[@]}"; do run_wrk "${url[$target]}" 5s >/dev/null; done

  : >"$WORK/rounds.txt"
  local round line before after nginx_rps
  for round in $(seq 1 "$ROUNDS"); do
    for target in "${targets[@]}"; do
      before=0; after=0
      [ "$target" = nginx ] || before=$(count_clicks "${target%-*}" "${store[$target]}" "${redis[$target]}")
      line=$(run_wrk "${url[$target]}" "$DURATION")
      # Journal mode: the clicks reach the log after their answer; counted once the count stops growing.
      [ "$target" = nginx ] || after=$(settled_count "${target%-*}" "${store[$target]}" "${redis[$target]}")
      [ "$target" = nginx ] && nginx_rps=$(echo "$line" | field rps)
      echo "$round $target $(echo "$line" | field rps) $(echo "$line" | field p50_us) $(echo "$line" | field p99_us) $nginx_rps $(echo "$line" | field redirects) $(echo "$line" | field others) $((after - before))" | tee -a "$WORK/rounds.txt"
    done
  done

  echo "Load average after the rounds: $(cat /proc/loadavg)" | tee "$WORK/loadavg.txt"
  echo "| Target | Requests/s (median) | p50 | p99 | Throughput vs nginx (median; range) | p99 vs nginx | Redirects received / clicks logged / other answers |" | tee "$WORK/table.md"
  echo "|---|---:|---:|---:|---:|---:|---:|" | tee -a "$WORK/table.md"
  local nginx_p99
  nginx_p99=$(awk '$2 == "nginx" { print $5 }' "$WORK/rounds.txt" | median)
  for target in "${targets[@]}"; do
    local rows rps p50 p99 ratio lo hi received logged others label
    rows=$(awk -v t="$target" '$2 == t' "$WORK/rounds.txt")
    rps=$(echo "$rows" | awk '{ print $3 }' | median)
    p50=$(echo "$rows" | awk '{ print $4 }' | median)
    p99=$(echo "$rows" | awk '{ print $5 }' | median)
    ratio=$(echo "$rows" | awk '{ print $3 / $6 }' | median)
    lo=$(echo "$rows" | awk '{ print $3 / $6 }' | sort -n | head -1)
    hi=$(echo "$rows" | awk '{ print $3 / $6 }' | sort -n | tail -1)
    received=$(echo "$rows" | awk '{ s += $7 } END { print s }')
    others=$(echo "$rows" | awk '{ s += $8 } END { print s }')
    logged=$(echo "$rows" | awk '{ s += $9 } END { print s }')
    if [ "$target" = nginx ]; then label="nginx \`return 302\`"; logged="–"; else label="SfCompanion, ${target%-*}, \`${target##*-}\`"; fi
    printf '| %s | %.0f | %.2f ms | %.2f ms | %.2f× (%.2f–%.2f) | %.2f× | %s / %s / %s |\n' "$label" "$rps" "$(echo "$p50/1000" | bc -l)" "$(echo "$p99/1000" | bc -l)" \
      "$ratio" "$lo" "$hi" "$(echo "$p99/$nginx_p99" | bc -l)" "$received" "$logged" "$others" | tee -a "$WORK/table.md"
  done
}

durability() {
  echo "== Durability: kill -9 under load (wrk -t$THREADS -c$CONNECTIONS -d10s, killed after 4 s), restart, count; $KILLS runs per adapter, Tracking:ClickDurability=${DURABILITY_MODE:-Journal}"
  for adapter in sqlite redis-always; do
    local port url before after line logged received duplicates run
    port=$(free_port)
    use_adapter "$adapter" durability
    local args=(--Hosting:Role=web "${STORE_ARGS[@]}" --Tracking:ClickDurability="${DURABILITY_MODE:-Journal}" --Tracking:JournalDirectory="$WORK/durability-$adapter-journal")
    for run in $(seq 1 "$KILLS"); do
      start_service "durability-$adapter-$run" "$port" "${args[@]}"
      [ "$run" = 1 ] && url=$(register_link "$port" "$CAMPAIGN" "$LEAD")
      before=$(count_clicks)
      run_wrk "$url" 10s >"$WORK/durability-$adapter-$run.wrk" &
      local wrk_pid=$!
      sleep 4
      kill -9 "$SERVICE_PID"
      wait "$wrk_pid" || true
      line=$(grep '^RESULT' "$WORK/durability-$adapter-$run.wrk")
      received=$(echo "$line" | field redirects)
      # The same store and journal, a new process: it moves what the killed one left, then is stopped normally.
      start_service "durability-$adapter-$run-restart" "$port" "${args[@]}"
      curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null
      kill "$SERVICE_PID"; wait "$SERVICE_PID" 2>/dev/null || true
      after=$(count_clicks)
      logged=$((after - before))
      duplicates=$(count_duplicate_ids)
      echo "| $adapter | $run | $received | $logged | $((received > logged ? received - logged : 0)) | $duplicates | $(echo "$line" | field errors_connect) connect, $(echo "$line" | field errors_read) read errors after the kill |" | tee -a "$WORK/durability.md"
    done
  done
}

# Click ids present more than once in the current store's click log (journal mode gives every click an id).
count_duplicate_ids() {
  case $ADAPTER in
    sqlite) sqlite3 "$WORK/$STORE_NAME.db" "SELECT COUNT(*) FROM (SELECT json_extract(payload, '\$.id') AS id FROM logs WHERE log = 'clicks' AND id IS NOT NULL GROUP BY id HAVING COUNT(*) > 1);" ;;
    *) redis-cli -p "$REDIS_PORT" --raw XRANGE "$STORE_NAME:log:clicks" - + | grep -o '"id":"[^"]*"' | sort | uniq -d | wc -l ;;
  esac
}

freshness() {
  echo "== Freshness: a human click until its fields are in the emulated org, default schedules"
  local eport sport base token lead campaign url
  eport=$(free_port); sport=$(free_port)
  dotnet "$WORK/emulator/SfCompanion.Emulator.dll" --urls "http://127.0.0.1:$eport" --leads 2000 --seed 7 >"$WORK/emulator.log" 2>&1 &
  PIDS+=("$!")
  wait_http "http://127.0.0.1:$eport/services/data/"
  start_service freshness "$sport" --Storage:Provider=Sqlite --Storage:Sqlite:Path="$WORK/freshness.db" \
    --Salesforce:LoginUrl="http://127.0.0.1:$eport" --Salesforce:AuthFlow=ClientCredentials \
    --Salesforce:ClientId=sfc-demo-client --Salesforce:ClientSecret=sfc-demo-secret
  base="http://127.0.0.1:$sport"
  local run
  run=$(api -X POST "$base/api/jobs/sync/run" | jq -r .runId)
  until api "$base/api/runs/$run" | jq -e '.status | test("Succeeded|Failed|Cancelled|Abandoned")' >/dev/null; do sleep 1; done
  echo "   initial sync: $(api "$base/api/runs/$run" | jq -r .status)"
  token=$(curl -fsS -X POST "http://127.0.0.1:$eport/services/oauth2/token" -d grant_type=client_credentials -d client_id=sfc-demo-client -d client_secret=sfc-demo-secret | jq -r .access_token)
  soql() { curl -fsS -G -H "Authorization: Bearer $token" "http://127.0.0.1:$eport/services/data/v66.0/query" --data-urlencode "q=$1"; }
  campaign=$(soql "SELECT CampaignId FROM CampaignMember WHERE LeadId != null LIMIT 1" | jq -r '.records[0].CampaignId')
  mapfile -t leads < <(soql "SELECT LeadId FROM CampaignMember WHERE CampaignId = '$campaign' AND LeadId != null LIMIT $SAMPLES" | jq -r '.records[].LeadId')
  local id
  id=$(api -X POST "$base/api/tracking/links" -d "{\"campaignId\":\"$campaign\",\"label\":\"Tarifs\",\"url\":\"https://www.exemple.fr/tarifs\"}" | jq -r .link.id)
  for lead in "${leads[@]}"; do
    sleep $((RANDOM % 60))
    url=$(api "$base/api/tracking/links/$id/preview?recipientId=$lead" | jq -r .url)
    local t0 t1
    t0=$(date +%s.%N)
    curl -fsS -o /dev/null -A "$BROWSER" "$url"
    until [ "$(soql "SELECT Sfc_Last_Click_Date__c FROM Lead WHERE Id = '$lead'" | jq -r '.records[0].Sfc_Last_Click_Date__c')" != "null" ]; do sleep 0.5; done
    t1=$(date +%s.%N)
    printf '%s clicked at %s, in Salesforce after %.1f s\n' "$lead" "$(date -u -d "@$t0" +%H:%M:%S)" "$(echo "$t1 - $t0" | bc -l)" | tee -a "$WORK/freshness.txt"
  done
}

for step in "${STEPS[@]}"; do "$step"; done
echo
echo "Results in $WORK: table.md, rounds.txt, drain-lag.txt, durability.md, freshness.txt, wrk.txt"
[ -f "$WORK/table.md" ] && cat "$WORK/table.md"
[ -f "$WORK/durability.md" ] && { echo "| Adapter | Run | Redirects wrk received | Clicks in the log | Missing | Duplicated ids | Notes |"; cat "$WORK/durability.md"; }
[ -f "$WORK/freshness.txt" ] && cat "$WORK/freshness.txt"
