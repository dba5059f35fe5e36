# Canonical dump of every key over RESP: one line per key (sorted by key bytes):
# hex(key) TAB type TAB pexpiretime TAB content, content by type (hex values, '|' separated).
import socket, sys
def conn(port):
    s = socket.create_connection(("127.0.0.1", port)); return s, s.makefile("rb")
def cmd(s, f, *args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    s.sendall(out); return read(f)
def read(f):
    line = f.readline()[:-2]; t, rest = line[:1], line[1:]
    if t == b"+": return rest
    if t == b"-": raise Exception(rest)
    if t == b":": return int(rest)
    if t == b"$":
        n = int(rest)
        if n < 0: return None
        d = f.read(n + 2)[:-2]; return d
    if t == b"*":
        n = int(rest); return None if n < 0 else [read(f) for _ in range(n)]
    raise Exception(line)
s, f = conn(int(sys.argv[1]))
keys, cursor = set(), b"0"
while True:
    cursor, batch = cmd(s, f, "SCAN", cursor, "COUNT", 1000)
    keys.update(batch)
    if cursor == b"0": break
for k in sorted(keys):
    t = cmd(s, f, "TYPE", k).decode()
    exp = cmd(s, f, "PEXPIRETIME", k)
    if t == "string": c = [cmd(s, f, "GET", k)]
    elif t == "hash":
        a = cmd(s, f, "HGETALL", k); c = sorted(a[i] + b"=" + a[i+1] for i in range(0, len(a), 2))
    elif t == "list": c = cmd(s, f, "LRANGE", k, 0, -1)
    elif t == "set": c = sorted(cmd(s, f, "SMEMBERS", k))
    elif t == "zset":
        a = cmd(s, f, "ZRANGE", k, 0, -1, "WITHSCORES"); c = [a[i] + b"=" + a[i+1] for i in range(0, len(a), 2)]
    print("%s\t%s\t%d\t%s" % (k.hex(), t, exp, "|".join(x.hex() for x in c)))
