package io.shoal.tracker;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Quarkus' HTTP server answers a request whose URI does not parse (a query with a broken escape such as
 * {@code %zz}) with a bare 400 before any handler sees it. BitTorrent clients must get a bencoded failure
 * reason instead, so the tracker reads raw queries itself and switches that check off; it has to be set
 * before the server starts, hence here (and in the tests' JVM).
 */
@QuarkusMain
public class TrackerMain {

    public static void main(String... args) {
        System.setProperty("vertx.disableURIValidation", "true");
        Quarkus.run(args);
    }
}
