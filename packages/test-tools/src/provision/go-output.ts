// Reading `go build -v` / `go install -v` as it runs: every package name it prints is one
// compiled package, "go: downloading" lines are module downloads, anything else is a message
// (a warning or the compiler's errors) that must reach the user.

const PACKAGE_PATH = /^[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~+-]+)*$/;
const DOWNLOADING = /^go: downloading \S+ \S+$/;
const KEPT_MESSAGES = 200;

export type GoLine = 'package' | 'download' | 'message' | 'blank';

export class GoBuildOutput {
  packages = 0;
  downloads = 0;
  lastPackage: string | undefined;
  /** The last messages, for the error when the build fails. */
  readonly messages: string[] = [];

  add(raw: string): GoLine {
    const line = raw.trimEnd();
    if (line.trim() === '') return 'blank';
    if (DOWNLOADING.test(line)) {
      this.downloads++;
      return 'download';
    }
    if (PACKAGE_PATH.test(line)) {
      this.packages++;
      this.lastPackage = line;
      return 'package';
    }
    this.messages.push(line);
    if (this.messages.length > KEPT_MESSAGES) this.messages.shift();
    return 'message';
  }

  /** e.g. "building helm v3.22.0: 40 s, 212 packages compiled, 3 modules downloaded (last: helm.sh/helm/v3/pkg/action)". */
  progressLine(label: string, elapsedMs: number): string {
    const parts = [`${Math.round(elapsedMs / 1000)} s`, `${this.packages} package${this.packages === 1 ? '' : 's'} compiled`];
    if (this.downloads > 0) parts.push(`${this.downloads} module${this.downloads === 1 ? '' : 's'} downloaded`);
    return `still building ${label}: ${parts.join(', ')}${this.lastPackage ? ` (last: ${this.lastPackage})` : ''}`;
  }
}
