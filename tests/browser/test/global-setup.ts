// The suite needs Debian's chromium: installed here when missing (as root), and the run
// fails, naming the package, when it cannot be. Nothing is skipped.
import { ensureChromium } from '../src/chromium.js';

export default function setup(): void {
  ensureChromium();
}
