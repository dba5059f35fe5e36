#!/usr/bin/env bash
# Makes a store with the FNV-1a placement (DistCache before slots, commit adcd405) and a manifest of its contents.
set -euo pipefail
host=/work/main/DistCache.Host/bin/Release/net10.0/DistCache.Host
data=/tmp/legacy/store
rm -rf "$data"; mkdir -p "$data"
start() { "$host" --port 4153 --resp-port 6479 --data "$data" > /tmp/legacy/node.log 2>&1 & echo $! > /tmp/legacy/pid
  for i in $(seq 1 120); do redis-cli -p 6479 ping 2>/dev/null | grep -q PONG && return; sleep 0.5; done; echo no start; exit 1; }
r() { redis-cli -p 6479 "$@" > /dev/null; }
start
for i in $(seq 0 299); do r set "k:$i" "value-$i"; done
for i in $(seq 0 49); do r expireat "k:$i" $((4102444800 + i)); done
for i in $(seq 0 39); do r incrby "c:$i" $((i * 7 - 100)); done
for i in $(seq 0 19); do r hset "h:$i" f1 "a$i" f2 "b$i" n "$i"; r rpush "l:$i" x y "z$i"; r sadd "s:$i" m1 m2 "m$i"; r zadd "z:$i" 1 one 2.5 two "$i" "n$i"; done
r set "{user42}:cart" cart; r set "{user42}:profile" profile
printf 'bin\xffkey' | redis-cli -p 6479 -x set binkey-src >/dev/null
# graceful stop: partitions hand off and snapshot
kill -TERM $(cat /tmp/legacy/pid); while kill -0 $(cat /tmp/legacy/pid) 2>/dev/null; do sleep 0.2; done
start
# written after the restart: in the journal after the snapshot
for i in $(seq 300 399); do r set "k:$i" "value-$i"; done
for i in $(seq 0 39); do r incr "c:$i"; done
for i in $(seq 0 19); do r hset "h:$i" late "$i"; r lpush "l:$i" first; r srem "s:$i" m1; done
r pexpireat "k:300" 4102444800123
r del "k:299"
kill -9 $(cat /tmp/legacy/pid); sleep 0.5
sqlite3 "$data"/*.db "PRAGMA wal_checkpoint(TRUNCATE);" || true
ls -la "$data"
