#!/bin/busybox sh
# PID 1 of the test VM, the same on every architecture: bring up a gpio-sim chip labelled like
# a Raspberry Pi 4's, run the scenarios against our app executables, report "RESULT {json}"
# lines on the results port ($RESULTS_TTY: ttyS1 on x64, a PCI 16550 on ARM; the console keeps
# the human-readable log), then power off.
/bin/busybox mkdir -p /proc /sys /dev /tmp /run
/bin/busybox mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
/bin/busybox --install -s /bin
export PATH=/app:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs tmpfs /tmp
. /etc/vm-test.env

R=/dev/$RESULTS_TTY
result() { echo "RESULT $1" >"$R"; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }
b64() { base64 -w 0 "$1" 2>/dev/null || base64 "$1" | tr -d '\n'; }
log() { echo "[vm-init $(uptime_s)] $*"; }
fail_boot() {
  result "{\"scenario\":\"boot\",\"ok\":false,\"error\":\"$1\"}"
  poweroff -f
}

ip link set lo up

# ---- kernel modules and the simulated chips --------------------------------------------
log "loading modules"
for m in $MODULES; do insmod "/lib/modules/$m" || fail_boot "insmod $m failed"; done
mount -t configfs configfs /sys/kernel/config || fail_boot "mount configfs failed"

# make_chip NAME LABEL LINES: a gpio-sim device with one bank; prints "<dev_name> <chip_name>"
make_chip() {
  d=/sys/kernel/config/gpio-sim/$1
  mkdir "$d" "$d/bank0" || return 1
  echo "$3" >"$d/bank0/num_lines"
  echo "$2" >"$d/bank0/label"
  echo 1 >"$d/live" || return 1
  echo "$(cat "$d/dev_name") $(cat "$d/bank0/chip_name")"
}
# A decoy first, so the Pi chip is not gpiochip0 and selection by label has work to do.
set -- $(make_chip decoy gpio-decoy 8) || fail_boot "decoy chip"
DECOY_CHIP=$2
set -- $(make_chip pi pinctrl-bcm2711 58) || fail_boot "pi chip"
PI_DEV=$1 PI_CHIP=$2
SIM=/sys/devices/platform/$PI_DEV/$PI_CHIP
PI_BASE=$(cat /sys/class/gpio/$(ls /sys/class/gpio | grep -x "gpiochip[0-9]*" | while read c; do
  [ "$(cat /sys/class/gpio/$c/label)" = pinctrl-bcm2711 ] && echo "$c"; done)/base)
result "{\"scenario\":\"boot\",\"ok\":true,\"uptime\":$(uptime_s),\"kernel\":\"$(uname -r)\",\"machine\":\"$(uname -m)\",\"piChip\":\"$PI_CHIP\",\"decoyChip\":\"$DECOY_CHIP\",\"piSysfsBase\":$PI_BASE,\"appMode\":\"$APP_MODE\"}"
log "pi chip $PI_CHIP ($SIM), sysfs base $PI_BASE"

# run_app SCENARIO EXTRA_JSON CMD...: run, then report exit code, duration and output.
run_app() {
  scen=$1 extra=$2
  shift 2
  t0=$(uptime_s)
  "$@" >/tmp/out 2>/tmp/err
  ec=$?
  t1=$(uptime_s)
  result "{\"scenario\":\"$scen\"$extra,\"exit\":$ec,\"start\":$t0,\"end\":$t1,\"stdout64\":\"$(b64 /tmp/out)\",\"stderr64\":\"$(b64 /tmp/err)\"}"
}

set_pulls() { for o in $LAMP_OFFSETS; do echo "$1" >"$SIM/sim_gpio$o/pull"; done; }

# ---- traffic light: sample the lamp lines while one cycle runs ---------------------------
traffic() {
  backend=$1
  # Pulled up while nobody drives them: a lamp reading 0 after the app exits proves the app
  # switched it off itself, not that the line was merely released.
  set_pulls pull-up
  simhelper watch "traffic-$backend-lamps" "$SIM" $LAMP_OFFSETS >"$R" &
  wp=$!
  sleep 0.2
  run_app "traffic-$backend" "" traffic-light --gpio "$backend" --cycles 1 --phases "$PHASES" --host 127.0.0.1 --log-level warn
  sleep 0.2
  kill $wp
  wait $wp 2>/dev/null
  set_pulls pull-down
}

# ---- light sensor: the helper plays the capacitor --------------------------------------------
light() {
  backend=$1
  if [ "$backend" = gpiochip ]; then
    delays=$DELAYS_US
    simhelper rc "light-$backend-rc" "/dev/$PI_CHIP" "$SIM/sim_gpio$SENSOR_OFFSET" "$SENSOR_OFFSET" $delays >"$R" &
  else
    delays=$DELAYS_US_ONOFF
    # The sysfs number is base + offset: the helper watches exactly the file our offset detection must pick.
    simhelper rc-sysfs "light-$backend-rc" "/sys/class/gpio/gpio$((PI_BASE + SENSOR_OFFSET))" "$SIM/sim_gpio$SENSOR_OFFSET" $delays >"$R" &
  fi
  hp=$!
  sleep 0.2
  i=0
  for d in $delays; do
    run_app "light-$backend" ",\"i\":$i,\"delayUs\":$d" light-sensor --gpio "$backend" --once --discharge "$DISCHARGE" --timeout 1s --host 127.0.0.1 --log-level warn
    i=$((i + 1))
  done
  kill $hp
  wait $hp 2>/dev/null
}

# ---- errors: a line held elsewhere, a device without permission ----------------------------------
busy() {
  simhelper hold "/dev/$PI_CHIP" "$SENSOR_OFFSET" rogue-holder &
  hp=$!
  sleep 0.3
  run_app busy-gpiochip "" light-sensor --gpio gpiochip --once --timeout 200ms --host 127.0.0.1
  kill $hp
  wait $hp 2>/dev/null
}

permission() {
  chown 0:"$GPIO_GID" /dev/gpiochip*
  chmod 0660 /dev/gpiochip*
  # uid 1000 without the gpio group: refused, with the group named.
  run_app perm-denied "" simhelper runas 1000 1000 - light-sensor --gpio gpiochip --once --timeout 200ms --host 127.0.0.1
  # The same uid with the gpio group as a supplementary group (what supplementalGroups does): works.
  run_app perm-granted "" simhelper runas 1000 1000 "$GPIO_GID" traffic-light --gpio gpiochip --cycles 1 --phases red:50ms --host 127.0.0.1 --log-level warn
  chmod 0600 /dev/gpiochip*
  chown 0:0 /dev/gpiochip*
}

# ---- edge timestamps as our addon delivers them to JavaScript ------------------------------
edge_timestamps() {
  rm -f /tmp/edges-seen
  simhelper toggle edge-timestamps-helper /tmp/edges-seen "$SIM/sim_gpio$SENSOR_OFFSET" "$EDGE_COUNT" "$EDGE_INTERVAL_US" >"$R" &
  hp=$!
  run_app edge-timestamps "" node /app/edge-probe.cjs "/app/$NATIVE_DIR/gpiochip.node" "/dev/$PI_CHIP" "$SENSOR_OFFSET" "$EDGE_COUNT" /tmp/edges-seen
  kill $hp 2>/dev/null
  wait $hp 2>/dev/null
  echo pull-down >"$SIM/sim_gpio$SENSOR_OFFSET/pull"
}

# ---- the device plugin's discovery and Allocate answer, on this kernel's chips ------------------
device_plugin() {
  # Its bundle on the same Node the executables embed: discovery reads sysfs, never opens a chip.
  run_app device-plugin "" node /app/bundles/gpio-device-plugin.cjs --once
}

explicit_chip() {
  # --gpio-chip naming the decoy (8 lines) must use it, and fail clearly for a header pin.
  run_app chip-flag-decoy "" traffic-light --gpio gpiochip --gpio-chip "$DECOY_CHIP" --cycles 1 --phases red:50ms --host 127.0.0.1
  run_app chip-env-pi "" env GPIO_CHIP=/dev/$PI_CHIP traffic-light --gpio gpiochip --cycles 1 --phases red:50ms --host 127.0.0.1 --log-level warn
}

# ---- an idle light sensor on gpiochip: what wakes it, and its CPU, per reading -------------
# proc_sample PID: JSON fields for the process's CPU (ns on a CPU, every thread, from
# schedstat) and the times its main thread slept of its own accord (each wake-up is one).
proc_sample() {
  # awk, not $((...)): the armhf shell's arithmetic is 32-bit, and a process's ns pass 2^31 in seconds.
  ns=$(cat /proc/$1/task/*/schedstat | awk '{n += $1} END {printf "%.0f", n}')
  sw=$(awk '/^voluntary_ctxt_switches/ {print $2}' "/proc/$1/task/$1/status")
  echo "\"cpuNs\":$ns,\"mainSleeps\":$sw"
}
readings_total() {
  wget -q -O - "http://127.0.0.1:$IDLE_PORT/metrics" | awk '/^light_sensor_readings_total/ {n += $2} END {print n + 0}'
}
idle_gpiochip() {
  # The helper answers a charge of 2 ms for as many readings as the run can take.
  delays=$(awk -v n=$((IDLE_WARMUP_S + IDLE_WINDOW_S + 30)) 'BEGIN { for (i = 0; i < n; i++) printf "2000 " }')
  simhelper rc idle-gpiochip-rc "/dev/$PI_CHIP" "$SIM/sim_gpio$SENSOR_OFFSET" "$SENSOR_OFFSET" $delays >/dev/null &
  hp=$!
  sleep 0.2
  # The chart's settings: one reading a second, the 100 ms discharge, the default log level.
  light-sensor --gpio gpiochip --host 127.0.0.1 --port "$IDLE_PORT" >/tmp/out 2>/tmp/err &
  ap=$!
  sleep "$IDLE_WARMUP_S"
  # The counts are scraped just outside the window, so the scrapes are not in it.
  c0=$(readings_total)
  s0=$(proc_sample $ap)
  sleep "$IDLE_WINDOW_S"
  s1=$(proc_sample $ap)
  c1=$(readings_total)
  kill -TERM $ap
  wait $ap
  ec=$?
  kill $hp
  wait $hp 2>/dev/null
  result "{\"scenario\":\"idle-gpiochip\",\"exit\":$ec,\"windowSeconds\":$IDLE_WINDOW_S,\"before\":{$s0,\"readings\":$c0},\"after\":{$s1,\"readings\":$c1},\"stderr64\":\"$(b64 /tmp/err)\"}"
}

# ---- warm-up, untimed ---------------------------------------------------------------------------
# Under emulation the first runs of a Node executable stall for seconds while qemu translates
# its code (the translations are kept for later processes): run each app and backend once
# before the timed scenarios, so those stalls do not land inside them. Not asserted on.
log "warm-up"
w0=$(uptime_s)
run_app warm-up "" light-sensor --gpio gpiochip --once --discharge "$DISCHARGE" --timeout 200ms --host 127.0.0.1 --log-level warn
run_app warm-up "" traffic-light --gpio gpiochip --cycles 1 --phases red:50ms,green:50ms --host 127.0.0.1 --log-level warn
run_app warm-up "" light-sensor --gpio onoff --once --discharge "$DISCHARGE" --timeout 200ms --host 127.0.0.1 --log-level warn
result "{\"scenario\":\"timing\",\"name\":\"warm-up\",\"start\":$w0,\"end\":$(uptime_s)}"

for s in $SCENARIOS; do
  log "scenario $s"
  s0=$(uptime_s)
  case $s in
    traffic-gpiochip) traffic gpiochip ;;
    light-gpiochip) light gpiochip ;;
    traffic-onoff) traffic onoff ;;
    light-onoff) light onoff ;;
    busy) busy ;;
    permission) permission ;;
    explicit-chip) explicit_chip ;;
    edge-timestamps) edge_timestamps ;;
    device-plugin) device_plugin ;;
    idle-gpiochip) idle_gpiochip ;;
    *) log "unknown scenario $s" ;;
  esac
  result "{\"scenario\":\"timing\",\"name\":\"$s\",\"start\":$s0,\"end\":$(uptime_s)}"
done
result "{\"scenario\":\"done\",\"uptime\":$(uptime_s)}"
sync
poweroff -f
