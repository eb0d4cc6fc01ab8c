package io.shoal.metadata;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.shoal.infra.BackingServicesTestResource;
import org.junit.jupiter.api.Test;

/** Metadata depends on all three backing services; it is ready only when each of them answers. */
@QuarkusTest
@WithTestResource(BackingServicesTestResource.class)
class MetadataReadinessTest {

    @Test
    void readyWhenDatabaseKafkaAndObjectStoreAnswer() {
        given().get("/q/health/ready").then()
                .statusCode(200)
                .body("checks.name", hasItems("object-store", "Kafka connection health check",
                        "Database connections health check"))
                .body("checks.status", everyItem(is("UP")));
    }
}
