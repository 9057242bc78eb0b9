// Typed errors so apps can map failures to exit codes and actionable messages
// without parsing strings: invalid input (exit 2) vs. a backend that cannot start (exit 1).

/** A value supplied by the user (pin name, backend name, option) is not acceptable. */
export class InvalidValueError extends Error {
  override readonly name = 'InvalidValueError';
  /** Bad input: a command that meets it exits 2 (the CLI frame reads this field). */
  readonly exitCode = 2;
  constructor(
    message: string,
    readonly value: string,
    readonly accepted: string,
  ) {
    super(message);
  }
}

/** A second claim on a pin that another consumer holds. */
export class PinInUseError extends Error {
  override readonly name = 'PinInUseError';
  constructor(
    readonly pin: string,
    readonly holder: string,
    readonly requester: string,
  ) {
    super(`pin in use: ${pin} is held by "${holder}"; "${requester}" cannot claim it until it is released`);
  }
}

/** A backend could not start on this machine; the message says what to do about it. */
export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError';
  constructor(
    readonly backend: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${backend} backend unavailable: ${message}`, options);
  }
}

/** The hardware (or the kernel interface to it) failed during operation. */
export class HardwareError extends Error {
  override readonly name = 'HardwareError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** An operation on a line or backend that has already been closed. */
export class ClosedError extends Error {
  override readonly name = 'ClosedError';
}
