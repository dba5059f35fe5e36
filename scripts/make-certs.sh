#!/usr/bin/env bash
# Throwaway certificates for a TLS cluster on this machine (tests, experiments), made with openssl:
#   scripts/make-certs.sh DIR [NAME...]     default names: node1 node2 node3 client
# DIR/ca.crt + ca.key: a new CA (EC P-256, 30 days). DIR/NAME.crt + NAME.key: a leaf of that CA for each NAME,
# SAN IP:127.0.0.1,DNS:localhost, EKU serverAuth+clientAuth (every node dials its peers and accepts them;
# a client's listener may be dialled back). An existing DIR/ca.* is reused, so more names can be added later.
# Not for production: keys are unencrypted, and anyone holding ca.key can mint members of the cluster.
set -euo pipefail
dir="${1:?usage: $0 DIR [NAME...]}"
shift
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(node1 node2 node3 client)
days="${DAYS:-30}"
command -v openssl >/dev/null || { echo "openssl is not installed" >&2; exit 1; }
mkdir -p "$dir"
umask 077

if [ ! -f "$dir/ca.crt" ] || [ ! -f "$dir/ca.key" ]; then
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/ca.key"
  openssl req -x509 -new -key "$dir/ca.key" -sha256 -days "$days" -subj "/O=DistCache/CN=DistCache Test CA" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign -out "$dir/ca.crt"
  echo "made $dir/ca.crt (keep $dir/ca.key private)"
fi

ext="$(mktemp)"
trap 'rm -f "$ext"' EXIT
printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$ext"
for n in "${names[@]}"; do
  [[ "$n" =~ ^[A-Za-z0-9._-]+$ ]] || { echo "name '$n': use letters, digits, . _ -" >&2; exit 1; }
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/$n.key"
  openssl req -new -key "$dir/$n.key" -subj "/O=DistCache/CN=$n" \
    | openssl x509 -req -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days "$days" -sha256 -extfile "$ext" -out "$dir/$n.crt" 2>/dev/null
  echo "made $dir/$n.crt + $dir/$n.key"
done
chmod 644 "$dir"/*.crt
