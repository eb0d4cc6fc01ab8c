package io.shoal.infra;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the checkout's built pieces are: the s3proxy jar and the services' packaged Quarkus apps. */
public record RepoLayout(Path root) {

    /**
     * The checkout's root: {@code -Dshoal.repo.root} (set by the launcher and by surefire), else the
     * nearest directory above the working directory that holds the {@code shoal} launcher and infra/.
     */
    public static RepoLayout find() {
        String configured = System.getProperty("shoal.repo.root");
        if (configured != null && isRoot(Path.of(configured))) {
            return new RepoLayout(Path.of(configured).toAbsolutePath().normalize());
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (isRoot(dir)) {
                return new RepoLayout(dir);
            }
        }
        throw new IllegalStateException("cannot find Shoal's checkout (no 'shoal' launcher above "
                + Path.of("").toAbsolutePath() + "); set -Dshoal.repo.root");
    }

    private static boolean isRoot(Path dir) {
        return Files.isRegularFile(dir.resolve("shoal")) && Files.isDirectory(dir.resolve("infra"));
    }

    public Path s3proxyJar() {
        return root.resolve("infra/target/s3proxy/s3proxy.jar");
    }

    public Path serviceJar(ShoalService service) {
        return root.resolve("services").resolve(service.module()).resolve("target/quarkus-app/quarkus-run.jar");
    }
}
