package io.shoal.metadata;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.shoal.infra.BackingServicesTestResource;
import java.net.URL;
import org.junit.jupiter.api.Test;

/**
 * Metadata depends on all three backing services; it is ready only when each of them answers. Its health and
 * metrics answer on the management port, not beside the internal API.
 */
@QuarkusTest
@WithTestResource(BackingServicesTestResource.class)
class MetadataReadinessTest {

    /** The management interface's URL already ends in its root path, /q. */
    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @Test
    void readyWhenDatabaseKafkaAndObjectStoreAnswer() {
        given().get(ready).then()
                .statusCode(200)
                .body("checks.name", hasItems("object-store", "Kafka connection health check",
                        "Database connections health check"))
                .body("checks.status", everyItem(is("UP")));
    }

    @Test
    void healthAndMetricsAreNotServedBesideTheInternalApi() {
        given().get("/q/health/ready").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(404);
    }
}
