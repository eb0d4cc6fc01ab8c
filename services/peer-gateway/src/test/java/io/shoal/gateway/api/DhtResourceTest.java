package io.shoal.gateway.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.shoal.infra.BackingServicesTestResource;
import org.junit.jupiter.api.Test;

/** GET /api/v1/dht/nodes: the DHT nodes a host joins through, as SHOAL_DHT_BOOTSTRAP lists them (the default here). */
@QuarkusTest
@WithTestResource(BackingServicesTestResource.class)
class DhtResourceTest {

    @Test
    void theBootstrapNodesAreListedAndReadyForAClientsSetting() {
        given().get("/api/v1/dht/nodes").then().statusCode(200)
                .body("nodes[0].host", equalTo("127.0.0.1")).body("nodes[0].port", equalTo(6970))
                .body("nodes[1].port", equalTo(6881))
                .body("bootstrap", equalTo("127.0.0.1:6970,127.0.0.1:6881"));
    }
}
