package io.shoal.metadata.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.InjectMock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.shoal.events.CatalogEntry;
import io.shoal.events.UploadStatus;
import io.shoal.infra.BackingServicesTestResource;
import io.shoal.metadata.service.CatalogService;
import io.shoal.metadata.service.RetirementService;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.mockito.exceptions.base.MockitoException;

/** Every endpoint of the internal API, with the services behind it mocked: status codes, bodies, the credential. */
@QuarkusTest
@WithTestResource(BackingServicesTestResource.class)
class CatalogResourceTest {

    static final String TOKEN = "test-internal-token-for-metadata";

    @InjectMock
    CatalogService catalog;
    @InjectMock
    RetirementService retirements;
    @Inject
    Scheduler scheduler;

    /**
     * The outbox job calls the mocked CatalogService every few seconds from its own thread; a call that lands
     * while a test stubs the mock takes the stubbing (Mockito: "UploadStatus cannot be returned by
     * untombstoned()"). The jobs wait while a test runs; one already running ends within milliseconds. The
     * Kafka consumer's thread can call it too: {@link #stub} stubs until the mock answers as stubbed.
     */
    @BeforeEach
    void pauseTheOutbox() throws InterruptedException {
        scheduler.pause();
        Thread.sleep(200);
    }

    @AfterEach
    void resumeTheOutbox() {
        scheduler.resume();
    }

    /** Stubs a call of the mocked CatalogService again until the mock gives the answer (see above). */
    private static <T> void stub(Supplier<T> call, T answer) {
        for (int attempt = 1; ; attempt++) {
            try {
                Mockito.when(call.get()).thenReturn(answer);
                if (Objects.equals(call.get(), answer)) {
                    return;
                }
            } catch (MockitoException stolen) {
                if (attempt >= 20) {
                    throw stolen;
                }
            }
            if (attempt >= 20) {
                throw new AssertionError("a background thread kept taking the stubbing");
            }
        }
    }

    private static RequestSpecification authorized() {
        return given().header("Authorization", "Bearer " + TOKEN);
    }

    private static CatalogEntry entry(String name) {
        return new CatalogEntry(UUID.randomUUID().toString(), name, "PUBLISHED", null, 3, "0".repeat(64), "a".repeat(40), null, "v1",
                16384, false, null, true, List.of(new CatalogEntry.CatalogFile(List.of(name), 3, "0".repeat(64), "content/x/0")), List.of(), "shoal",
                "torrents/x.torrent", 0);
    }

    @Test
    void without_the_service_credential_nothing_answers() {
        given().get("/internal/v1/artifacts").then().statusCode(401).header("WWW-Authenticate", "Bearer")
                .body("detail", startsWith("the internal API needs"));
        given().header("Authorization", "Bearer wrong").delete("/internal/v1/artifacts/x").then().statusCode(401)
                .body("detail", equalTo("wrong service credential"));
        given().header("Authorization", TOKEN).get("/internal/v1/uploads/" + UUID.randomUUID()).then().statusCode(401);
        Mockito.verifyNoInteractions(catalog, retirements);
    }

    @Test
    void search() {
        stub(() -> catalog.search("img", 100), List.of(entry("a.img")));
        authorized().get("/internal/v1/artifacts?q=img").then().statusCode(200).body("[0].name", equalTo("a.img"));
        authorized().get("/internal/v1/artifacts?q=" + "x".repeat(256)).then().statusCode(400);
        authorized().get("/internal/v1/artifacts?limit=0").then().statusCode(400);
        authorized().get("/internal/v1/artifacts?limit=1001").then().statusCode(400);
    }

    @Test
    void oneArtifact() {
        stub(() -> catalog.published("there"), Optional.of(entry("there")));
        stub(() -> catalog.published("gone"), Optional.empty());
        authorized().get("/internal/v1/artifacts/there").then().statusCode(200).body("name", equalTo("there"));
        authorized().get("/internal/v1/artifacts/gone").then().statusCode(404).body("error", equalTo("Not Found"));
    }

    @Test
    void retire() {
        Mockito.when(retirements.retire("there")).thenReturn(true);
        Mockito.when(retirements.retire("gone")).thenReturn(false);
        authorized().delete("/internal/v1/artifacts/there").then().statusCode(204);
        authorized().delete("/internal/v1/artifacts/gone").then().statusCode(404);
    }

    @Test
    void torrentByInfoHash() {
        stub(() -> catalog.byInfoHash("a".repeat(40)), Optional.of(entry("t")));
        authorized().get("/internal/v1/torrents/" + "A".repeat(40)).then().statusCode(200).body("name", equalTo("t"));
        authorized().get("/internal/v1/torrents/" + "b".repeat(64)).then().statusCode(404);
        authorized().get("/internal/v1/torrents/xyz").then().statusCode(400);
    }

    @Test
    void uploadStatus() {
        UUID id = UUID.randomUUID();
        stub(() -> catalog.upload(id), new UploadStatus(UploadStatus.Status.REJECTED, "no", true, null));
        authorized().get("/internal/v1/uploads/" + id).then().statusCode(200).body("status", equalTo("REJECTED"))
                .body("conflict", equalTo(true));
        authorized().get("/internal/v1/uploads/not-a-uuid").then().statusCode(400);
    }

    @Test
    void an_unexpected_failure_is_a_500_with_a_reference_and_no_stack_trace() {
        Mockito.when(catalog.published("boom")).thenThrow(new IllegalStateException("secret internals"));
        authorized().get("/internal/v1/artifacts/boom").then().statusCode(500)
                .body("detail", startsWith("internal error; reference "));
    }
}
