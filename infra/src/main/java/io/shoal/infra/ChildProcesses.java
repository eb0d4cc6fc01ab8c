package io.shoal.infra;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Child JVMs of the local stack: started with this JVM's own java binary, stopped politely first. */
final class JavaProcesses {

    private JavaProcesses() {
    }

    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** SIGTERM, then SIGKILL if the process has not gone within {@code grace}. */
    static void stop(Process process, Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
