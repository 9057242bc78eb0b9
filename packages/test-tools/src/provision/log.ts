// Provisioning says what it does, one line at a time, on stderr by default: stdout belongs to
// whatever the caller prints (a report, a build summary).
export type Log = (line: string) => void;

export const stderrLog: Log = (line) => {
  process.stderr.write(`[test-tools] ${line}\n`);
};
