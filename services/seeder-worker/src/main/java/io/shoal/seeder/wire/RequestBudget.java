package io.shoal.seeder.wire;

/**
 * A token bucket for one connection's requests of one kind: {@code burst} at once, then {@code perSecond}.
 * Used on the connection's event loop only.
 */
final class RequestBudget {

    private final double burst;
    private final double perNano;
    private double tokens;
    private long at;

    RequestBudget(int burst, double perSecond) {
        this.burst = burst;
        this.perNano = perSecond / 1e9;
        this.tokens = burst;
        this.at = System.nanoTime();
    }

    /** Takes one request from the budget; false when there is none left. */
    boolean take() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - at) * perNano);
        at = now;
        if (tokens < 1) {
            return false;
        }
        tokens--;
        return true;
    }
}
