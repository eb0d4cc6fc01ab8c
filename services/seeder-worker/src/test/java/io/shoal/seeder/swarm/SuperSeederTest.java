package io.shoal.seeder.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SuperSeederTest {

    @Test
    void eachPieceIsOfferedToOnePeerWhileAnyIsUnoffered() {
        SuperSeeder<String> seeder = new SuperSeeder<>(8, new Random(1));
        Set<Integer> offered = new HashSet<>();
        for (String peer : new String[] {"a", "b", "c", "d"}) {
            seeder.join(peer);
            for (OptionalInt p = seeder.nextOffer(peer); p.isPresent(); p = seeder.nextOffer(peer)) {
                assertTrue(offered.add(p.getAsInt()), "piece " + p.getAsInt() + " offered twice");
            }
        }
        assertEquals(8, offered.size(), "two offers each, eight distinct pieces");
    }

    @Test
    void aPeerGetsItsNextOfferWhenItHasOneAndMayOnlyAskForWhatItWasOffered() {
        SuperSeeder<String> seeder = new SuperSeeder<>(4, new Random(2));
        seeder.join("a");
        int first = seeder.nextOffer("a").getAsInt();
        int second = seeder.nextOffer("a").getAsInt();
        assertFalse(seeder.nextOffer("a").isPresent(), "two at a time");
        assertTrue(seeder.offered("a", first));
        int other = java.util.stream.IntStream.range(0, 4).filter(p -> p != first && p != second).findFirst().getAsInt();
        assertFalse(seeder.offered("a", other));
        seeder.has("a", first);
        assertFalse(seeder.offered("a", first), "done with it");
        assertTrue(seeder.nextOffer("a").isPresent(), "room for the next");
    }

    @Test
    void theRarestPieceGoesFirstAndALeavingPeersOffersReturn() {
        SuperSeeder<String> seeder = new SuperSeeder<>(3, new Random(3));
        seeder.join("a");
        seeder.join("b");
        seeder.has("a", 0);
        seeder.has("a", 1);
        seeder.has("b", 0);
        seeder.join("c");
        assertEquals(2, seeder.nextOffer("c").getAsInt(), "nobody has piece 2");
        seeder.leave("c");
        assertEquals(2, seeder.nextOffer("b").getAsInt(), "offered to nobody any more; held by nobody");
    }
}
