package io.liverec.api.errors;

/**
 * Process exit codes of the {@code liverec} command line. CI scripts rely on these numbers, so they
 * are part of the public contract and documented in README.md.
 */
public final class ExitCode {
  /** The command did what it was asked. */
  public static final int OK = 0;

  /** The command line itself was wrong: unknown option, missing argument. */
  public static final int USAGE = 1;

  /** The input was invalid (a file, a custom resource) or a server could not be reached. */
  public static final int BAD_INPUT = 2;

  /** A quality gate failed; nothing was changed. */
  public static final int GATE_FAILED = 3;

  /** An unexpected internal error (a bug): the stack trace is printed; please report it. */
  public static final int INTERNAL = 4;

  private ExitCode() {}
}
