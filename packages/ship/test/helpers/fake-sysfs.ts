// A private mount namespace whose /sys/class/gpio looks like a Raspberry Pi 4's on kernel 6.6+
// (header chip pinctrl-bcm2711 at base 512), so the onoff backend gets past its sysfs checks
// and actually loads the onoff package and its epoll addon. The export file is a plain file,
// so the kernel never creates gpio516 and the backend then fails with its sysfs error.
const SCRIPT = `set -e
mount -t tmpfs gpio-fleet-test-sysfs /sys/class
mkdir -p /sys/class/gpio/gpiochip512
echo 512 > /sys/class/gpio/gpiochip512/base
echo 58 > /sys/class/gpio/gpiochip512/ngpio
echo pinctrl-bcm2711 > /sys/class/gpio/gpiochip512/label
: > /sys/class/gpio/export
: > /sys/class/gpio/unexport
exec "$@"`;

export function inFakeSysfs(cmd: string, args: string[]): [string, string[]] {
  return ['unshare', ['--mount', '--propagation', 'private', 'sh', '-c', SCRIPT, 'sh', cmd, ...args]];
}

/** The same namespace trick with no /sys/class/gpio at all (a kernel without CONFIG_GPIO_SYSFS). */
export function withoutSysfsGpio(cmd: string, args: string[]): [string, string[]] {
  const script = 'set -e\nmount -t tmpfs gpio-fleet-test-sysfs /sys/class\nexec "$@"';
  return ['unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', cmd, ...args]];
}
