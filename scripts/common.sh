# Sourced by the benchmark scripts here: what they share.

# ensure_commands COMMAND:PACKAGE ...: installs from Debian's packages (root) the packages whose command is
# missing, with the packages' services kept from starting: the scripts start their own servers.
ensure_commands() {
  local need=() pair own_policy=0
  for pair in "$@"; do command -v "${pair%%:*}" >/dev/null || need+=("${pair#*:}"); done
  [ "${#need[@]}" -gt 0 ] || return 0
  echo "installing ${need[*]} from Debian's packages" >&2
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; own_policy=1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends "${need[@]}" >&2 || { apt-get update -q >&2 && apt-get install -y -q --no-install-recommends "${need[@]}" >&2; }
  [ "$own_policy" = 0 ] || rm -f /usr/sbin/policy-rc.d
}

# stop_started: the EXIT trap. Stops the processes whose PIDs the script added to `pids` (only those, by
# PID), waits up to 20 s for each, and removes the script's `work` folder.
stop_started() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done; done
  rm -rf "$work"
}
