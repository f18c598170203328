#!/usr/bin/env bash
# Self-test of spop-load: builds it (make), starts an agent on a free port and checks that the
# generator gets ACKs and 0 errors with HAProxy 2.6 and 3 HELLO styles, pipelined (4 x 20) and
# unpipelined (8 x 1), 2 threads, and with both messages (check-client-ip, bench).
#
#   benchmarks/loadgen-c/selftest.sh                 # against the TrivialAgent (bin/loadgen trivial --port 0)
#   benchmarks/loadgen-c/selftest.sh --jar verticles-example/target/spoa-agent.jar
#                                                    # against the fat JAR with the reputation example
#                                                    # config (port 0, metrics off); also checks that ACKs carry actions
# Environment: JAVA (java), GEN (the generator; default: build benchmarks/loadgen-c/spop-load).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
jar=""
[[ "${1:-}" == --jar ]] && jar="$(realpath "${2:?--jar PATH}")"
java="${JAVA:-java}"
gen="${GEN:-}"
if [[ -z "$gen" ]]; then
  make -s -C "$here" spop-load >&2
  gen="$here/spop-load"
fi
tmp="$(mktemp -d /tmp/spop-load-selftest.XXXXXX)"
agent=""
cleanup() { [[ -n "$agent" ]] && kill "$agent" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT

if [[ -n "$jar" ]]; then
  python3 - "$root/verticles-example/src/main/resources/spoa-agent.json" > "$tmp/agent.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["listener"]["port"] = 0
c["metrics"] = {"enabled": False}
print(json.dumps(c))
PY
  "$java" -Xms256m -Xmx256m -jar "$jar" -conf "$tmp/agent.json" > "$tmp/agent.log" 2>&1 &
  agent=$!
  want_actions=1
else
  (cd "$root" && exec bin/loadgen trivial --port 0) > "$tmp/agent.log" 2>&1 &
  agent=$!
  want_actions=0
fi
port=""
for _ in $(seq 600); do
  port="$(grep -m1 -o 'listening on [^ ]*:[0-9]*' "$tmp/agent.log" 2>/dev/null | sed 's/.*://' || true)"
  [[ -n "$port" ]] && break
  kill -0 "$agent" 2>/dev/null || { cat "$tmp/agent.log" >&2; echo "selftest: agent exited" >&2; exit 1; }
  sleep 0.1
done
[[ -n "$port" ]] || { cat "$tmp/agent.log" >&2; echo "selftest: agent did not listen within 60 s" >&2; exit 1; }
echo "selftest: agent pid $agent port $port ($([[ -n "$jar" ]] && echo "fat JAR $jar" || echo TrivialAgent)); files in $tmp"

fail=0
n=0
for msg in check-client-ip bench; do
  for hello in 2.6 3; do
    for shape in "4 20" "8 1"; do
      read -r conns inflight <<< "$shape"
      n=$((n + 1))
      json="$tmp/run-$n.json"
      rc=0
      "$gen" --port "$port" --connections "$conns" --inflight "$inflight" --threads 2 --hello "$hello" \
        --message "$msg" --warmup 0.5s --duration 1s --json "$json" > "$tmp/run-$n.out" 2> "$tmp/run-$n.err" || rc=$?
      acks="$(grep -o '"acks":[0-9]*' "$json" | cut -d: -f2)"
      errors="$(grep -o '"errors":{"total":[0-9]*' "$json" | sed 's/.*://')"
      actions="$(grep -o '"actions":[0-9]*' "$json" | cut -d: -f2)"
      ok=1
      [[ $rc == 0 && "${acks:-0}" -gt 0 && "${errors:-1}" == 0 ]] || ok=0
      # the reputation verticle answers check-client-ip with set-vars; bench has no handler there (empty ACKs)
      [[ $want_actions == 1 && $msg == check-client-ip && "${actions:-0}" -lt "${acks:-0}" ]] && ok=0
      printf 'selftest: %-4s hello %-3s %s x %-2s %-15s rc %s, ACKs %s, actions %s, errors %s: %s\n' \
        "$([[ $ok == 1 ]] && echo ok || echo FAIL)" "$hello" "$conns" "$inflight" "$msg" "$rc" "$acks" "$actions" "$errors" \
        "$(sed 's/^spop-load: //' "$tmp/run-$n.out" | cut -d, -f1-2)"
      [[ $ok == 1 ]] || { fail=1; cat "$tmp/run-$n.err" >&2; }
    done
  done
done
if [[ $fail == 0 ]]; then echo "selftest: PASS ($n runs)"; else echo "selftest: FAIL" >&2; exit 1; fi
