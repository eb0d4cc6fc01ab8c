package io.shoal.events;

/**
 * An operator asked for an artifact's pieces to be in the seeder-workers' caches before hosts ask for them
 * ({@code POST /api/v1/artifacts/{name}/preheat}). Sent by metadata to {@link ShoalTopic#SEEDER_PREHEAT}, key: the
 * swarm key; the worker seeding that torrent reads it and reports its progress in {@link SeederStatsEvent}.
 *
 * @param swarmKey          the torrent's key on shoal.torrents (40 hex digits)
 * @param name              the artifact's name, for logs
 * @param requestedAtMillis when metadata recorded the request: names the request in the workers' reports
 */
public record PreheatRequestedEvent(String swarmKey, String name, long requestedAtMillis) {
}
