package io.shoal.cli;

/** A command that cannot go on: the message is for the user, the exit code for scripts. */
final class CliException extends Exception {

    /** Exit codes a script can rely on (also in the README). */
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int NOT_FOUND = 3;
    static final int REFUSED = 4;
    static final int CORRUPT = 5;

    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }

    /** The exit code an HTTP error status means. */
    static int forStatus(int status) {
        return status == 404 ? NOT_FOUND : status >= 400 && status < 500 ? REFUSED : FAILED;
    }
}
