package io.shoal.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoal.infra.RepoLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI as a user runs it, {@code ./shoal push|ls|info|get|rm}, against a stack {@code ./shoal up} started
 * (the CLI finds it through $SHOAL_HOME/stack.properties): its output, its progress lines (no terminal here, so
 * a line each tenth), a download resumed and one whose bytes are wrong, and its exit codes.
 */
class CliIT {

    private static LocalShoal shoal;

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void startShoal() throws Exception {
        shoal = LocalShoal.up();
    }

    @AfterAll
    static void stopShoal() throws Exception {
        if (shoal != null) {
            shoal.close();
        }
    }

    private Run shoal(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(RepoLayout.find().root().resolve("shoal").toString()));
        command.addAll(Arrays.asList(args));
        Path out = Files.createTempFile(dir, "out-", ".txt");
        Path err = Files.createTempFile(dir, "err-", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("SHOAL_HOME", shoal.home().toString());
        builder.environment().put("SHOAL_SKIP_BUILD", "1");
        builder.environment().remove("SHOAL_API_TOKEN");
        builder.environment().remove("SHOAL_GATEWAY_URL");
        Process process = builder.start();
        assertTrue(process.waitFor(2, TimeUnit.MINUTES), "shoal " + String.join(" ", args) + " did not finish");
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void pushListShowGetAndRetireWithProgressAndExitCodes() throws Exception {
        byte[] image = random(5 * 1024 * 1024 + 7, 1);
        Path file = Files.write(dir.resolve("disk.img"), image);
        Run push = shoal("push", file.toString());
        assertEquals(0, push.exit(), push.toString());
        assertTrue(push.out().contains("name      disk.img") && push.out().contains("magnet    magnet:?xt=urn:btih:")
                && push.out().contains("/api/v1/artifacts/disk.img/torrent"), push.out());
        List<String> tenths = push.err().lines().filter(l -> l.startsWith("push disk.img: ")).toList();
        assertEquals(10, tenths.size(), push.err());
        assertTrue(tenths.getFirst().startsWith("push disk.img: 10% (") && tenths.getLast().startsWith("push disk.img: 100% (5.0 MiB of 5.0 MiB"),
                push.err());

        Path bundle = Files.createDirectories(dir.resolve("bundle/lib"));
        byte[] jar = random(300_001, 2);
        byte[] dep = random(70_000, 3);
        Files.write(dir.resolve("bundle/app.jar"), jar);
        Files.write(bundle.resolve("dep one.jar"), dep);
        Run pushBundle = shoal("push", "--name", "release-42", "--format", "hybrid", dir.resolve("bundle").toString());
        assertEquals(0, pushBundle.exit(), pushBundle.toString());

        Run unnamed = shoal("push", dir.resolve("bundle").toString());
        assertEquals(0, unnamed.exit(), unnamed.toString());
        assertTrue(unnamed.out().contains("name      bundle"), "a directory alone is named after itself: " + unnamed.out());

        Run ls = shoal("ls");
        assertEquals(0, ls.exit(), ls.toString());
        assertTrue(ls.out().contains("disk.img") && ls.out().contains("release-42") && ls.out().contains("hybrid"), ls.out());
        Run search = shoal("ls", "release");
        assertTrue(search.out().contains("release-42") && !search.out().contains("disk.img"), search.out());
        Run info = shoal("info", "release-42");
        assertEquals(0, info.exit(), info.toString());
        assertTrue(info.out().contains("infohash v2") && info.out().contains("lib/dep one.jar")
                && info.out().contains("/api/v1/artifacts/release-42/files/lib/dep%20one.jar"), info.out());

        Path into = Files.createDirectories(dir.resolve("into"));
        Run get = shoal("get", "disk.img", into.toString());
        assertEquals(0, get.exit(), get.toString());
        assertArrayEquals(image, Files.readAllBytes(into.resolve("disk.img")));
        assertTrue(get.err().contains("get disk.img: 100% (5.0 MiB of 5.0 MiB"), get.err());
        assertEquals(into.resolve("disk.img").toString(), get.out().strip());
        Run again = shoal("get", "disk.img", into.toString());
        assertTrue(again.exit() == 0 && again.err().contains("already here"), again.toString());

        Run getBundle = shoal("get", "release-42", into.toString());
        assertEquals(0, getBundle.exit(), getBundle.toString());
        assertArrayEquals(jar, Files.readAllBytes(into.resolve("release-42/app.jar")));
        assertArrayEquals(dep, Files.readAllBytes(into.resolve("release-42/lib/dep one.jar")));

        Run retire = shoal("rm", "disk.img");
        assertEquals(0, retire.exit(), retire.toString());
        assertEquals("retired disk.img", retire.out().strip());
        Run gone = shoal("info", "disk.img");
        assertEquals(3, gone.exit(), gone.toString());
        assertTrue(gone.err().contains("no artifact named 'disk.img'"), gone.err());
        assertEquals(3, shoal("get", "disk.img", into.toString()).exit());
        assertEquals(3, shoal("rm", "disk.img").exit());
    }

    @Test
    void anInterruptedDownloadResumesAndWrongBytesAreNeverKept() throws Exception {
        byte[] content = random(3 * 1024 * 1024, 4);
        Files.write(dir.resolve("model.bin"), content);
        assertEquals(0, shoal("push", dir.resolve("model.bin").toString()).exit());
        Path into = Files.createDirectories(dir.resolve("resume"));

        Files.write(into.resolve("model.bin.part"), Arrays.copyOf(content, 1024 * 1024)); // what an interrupted run left
        Run resumed = shoal("get", "model.bin", into.toString());
        assertEquals(0, resumed.exit(), resumed.toString());
        assertTrue(resumed.err().contains("resuming at 1.0 MiB of 3.0 MiB"), resumed.err());
        assertArrayEquals(content, Files.readAllBytes(into.resolve("model.bin")));
        assertFalse(Files.exists(into.resolve("model.bin.part")));

        Path other = Files.createDirectories(dir.resolve("corrupt"));
        byte[] wrong = Arrays.copyOf(content, 1024 * 1024);
        wrong[1000] ^= 1;
        Files.write(other.resolve("model.bin.part"), wrong);
        Run corrupt = shoal("get", "model.bin", other.toString());
        assertEquals(5, corrupt.exit(), corrupt.toString());
        assertTrue(corrupt.err().contains("do not match the artifact's SHA-256"), corrupt.err());
        assertFalse(Files.exists(other.resolve("model.bin")) || Files.exists(other.resolve("model.bin.part")), "nothing kept");
        assertEquals(0, shoal("get", "model.bin", other.toString()).exit(), "run again: from the start");
        assertArrayEquals(content, Files.readAllBytes(other.resolve("model.bin")));
    }

    @Test
    void exitCodesForUsageRefusalAndAnUnreachableGateway() throws Exception {
        Path file = Files.write(dir.resolve("x.bin"), random(10, 5));
        Run wrongToken = shoal("push", "--token", "not-the-token-0123456789", file.toString());
        assertEquals(4, wrongToken.exit(), wrongToken.toString());
        assertTrue(wrongToken.err().contains("401"), wrongToken.err());
        Run noFile = shoal("push", dir.resolve("none.bin").toString());
        assertEquals(2, noFile.exit(), noFile.toString());
        Path second = Files.write(dir.resolve("y.bin"), random(10, 6));
        Run several = shoal("push", file.toString(), second.toString());
        assertEquals(2, several.exit(), several.toString());
        assertTrue(several.err().contains("name it with --name"), several.err());
        Run badFormat = shoal("push", "--format", "v3", file.toString());
        assertEquals(2, badFormat.exit(), badFormat.toString());
        Run unreachable = shoal("ls", "--gateway", "http://127.0.0.1:1");
        assertEquals(1, unreachable.exit(), unreachable.toString());
        assertTrue(unreachable.err().contains("cannot reach the gateway at http://127.0.0.1:1"), unreachable.err());
        Run unknown = shoal("frobnicate");
        assertEquals(2, unknown.exit(), unknown.toString());
    }
}
