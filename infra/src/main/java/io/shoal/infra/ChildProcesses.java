package io.shoal.infra;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Processes the local stack starts: JVMs run with this JVM's own java binary, stopped politely first. */
final class ChildProcesses {

    private ChildProcesses() {
    }

    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /**
     * SIGTERM, then SIGKILL if the process has not gone within {@code grace}; returns once it has gone
     * (or 5 s after the SIGKILL). Works for children and for processes an earlier launcher started.
     */
    static void stop(ProcessHandle process, Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            try {
                process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                process.destroyForcibly();
                process.onExit().get(5, TimeUnit.SECONDS);
            }
        } catch (TimeoutException | ExecutionException e) {
            // still there 5 s after SIGKILL: nothing more a user process can do; the caller reports leftovers
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
