package io.shoal.gateway.upload;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;

import io.quarkus.test.InjectMock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.shoal.events.CatalogEntry;
import io.shoal.gateway.upload.IngestResult.Refusal;
import io.shoal.infra.BackingServicesTestResource;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

/** The one mapping from an upload's result to HTTP, and the checks made before a body is read; the ingest is mocked. */
@QuarkusTest
@WithTestResource(BackingServicesTestResource.class)
class UploadRoutesTest {

    @InjectMock
    ArtifactIngest ingest;

    private static RequestSpecification authorized() {
        return given().header("Authorization", "Bearer " + StoreUnreachableTest.token());
    }

    private static CatalogEntry entry(String name) {
        return new CatalogEntry(UUID.randomUUID().toString(), name, "PUBLISHED", null, 3, "0".repeat(64), "a".repeat(40), null,
                "v1", 16384, false, null, true, List.of(new CatalogEntry.CatalogFile(List.of(name), 3, "0".repeat(64), "content/x/0")),
                List.of(), "shoal", "torrents/x.torrent", 0);
    }

    private void ingestAnswers(String name, IngestResult result) {
        Mockito.when(ingest.putSingleFile(eq(name), any(), anyLong(), any())).thenReturn(result);
    }

    @Test
    void each_result_has_its_status() {
        ingestAnswers("new.bin", new IngestResult.Published(entry("new.bin"), "receive;dur=1"));
        authorized().body("abc").put("/api/v1/artifacts/new.bin").then().statusCode(201)
                .header("Location", endsWith("/api/v1/artifacts/new.bin")).header("Server-Timing", "receive;dur=1")
                .body("name", equalTo("new.bin")).body("infoHash", equalTo("a".repeat(40)));
        ingestAnswers("same.bin", new IngestResult.Unchanged(entry("same.bin")));
        authorized().body("abc").put("/api/v1/artifacts/same.bin").then().statusCode(200).body("name", equalTo("same.bin"));
        ingestAnswers("later.bin", new IngestResult.Pending("later.bin"));
        authorized().body("abc").put("/api/v1/artifacts/later.bin").then().statusCode(202)
                .header("Location", endsWith("/api/v1/artifacts/later.bin")).body("status", startsWith("stored;"));
        Object[][] refusals = {{Refusal.INVALID, 400}, {Refusal.TOO_LARGE, 413}, {Refusal.NAME_TAKEN, 409}, {Refusal.UNPROCESSABLE, 422}};
        for (Object[] refusal : refusals) {
            ingestAnswers("refused.bin", new IngestResult.Refused((Refusal) refusal[0], "because " + refusal[0]));
            authorized().body("abc").put("/api/v1/artifacts/refused.bin").then().statusCode((int) refusal[1])
                    .body("detail", equalTo("because " + refusal[0]));
        }
        ingestAnswers("failed.bin", new IngestResult.Failed("the object store failed: down; nothing was stored"));
        authorized().body("abc").put("/api/v1/artifacts/failed.bin").then().statusCode(503)
                .body("error", equalTo("Service Unavailable")).body("detail", containsString("nothing was stored"));
        ingestAnswers("gone.bin", new IngestResult.Abandoned("the client closed the connection"));
        authorized().body("abc").put("/api/v1/artifacts/gone.bin").then().statusCode(400);
    }

    @Test
    void a_bug_is_a_500_with_a_reference_and_no_stack_trace() {
        Mockito.when(ingest.putSingleFile(eq("bug.bin"), any(), anyLong(), any())).thenThrow(new IllegalStateException("secret detail"));
        authorized().body("abc").put("/api/v1/artifacts/bug.bin").then().statusCode(500)
                .body("detail", startsWith("internal error; reference ")).body(not(containsString("secret detail")))
                .body(not(containsString("IllegalStateException")));
    }

    @Test
    void checks_made_before_the_body_is_read_never_reach_the_ingest() {
        given().body("abc").put("/api/v1/artifacts/x.bin").then().statusCode(401).header("WWW-Authenticate", "Bearer");
        given().header("Authorization", "Bearer nope").body("abc").put("/api/v1/artifacts/x.bin").then().statusCode(401);
        authorized().urlEncodingEnabled(false).body("abc").put("/api/v1/artifacts/a%00b").then().statusCode(400).body("detail", startsWith("artifact name:"));
        authorized().urlEncodingEnabled(false).body("abc").put("/api/v1/artifacts/x.bin?comment=a%00b").then().statusCode(400)
                .body("detail", containsString("comment"));
        authorized().body("abc").put("/api/v1/artifacts/x.bin?pieceLength=1000").then().statusCode(400);
        authorized().body("abc").put("/api/v1/artifacts/x.bin?format=v3").then().statusCode(400);
        authorized().body(new byte[0]).put("/api/v1/artifacts/x.bin").then().statusCode(400).body("detail", startsWith("the body is empty"));
        authorized().contentType("application/json").body("{}").post("/api/v1/artifacts").then().statusCode(415);
        given().multiPart("file", "a.txt", "abc".getBytes()).post("/api/v1/artifacts").then().statusCode(401);
        Mockito.verifyNoInteractions(ingest);
    }

    @Test
    void a_multi_file_result_is_mapped_the_same_way() {
        Mockito.when(ingest.postMultiFile(any(), any(), any())).thenReturn(new IngestResult.Refused(Refusal.NAME_TAKEN, "taken"));
        authorized().multiPart("name", "set").multiPart("file", "a.txt", "abc".getBytes()).post("/api/v1/artifacts")
                .then().statusCode(409).body("detail", equalTo("taken"));
    }
}
