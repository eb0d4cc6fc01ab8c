-- Preheats operators asked for (POST /api/v1/artifacts/{name}/preheat), the latest per swarm: whether Kafka has
-- acknowledged it (an outbox: an unacknowledged request is sent again) and what the seeder-worker seeding the
-- torrent reported of it (shoal.seeder.stats), for the rollout view.
CREATE TABLE preheat (
    swarm_key      CHAR(40)      PRIMARY KEY,
    name           TEXT          NOT NULL,
    requested_at   TIMESTAMPTZ   NOT NULL,
    sent           BOOLEAN       NOT NULL DEFAULT FALSE,
    seeder_id      CHAR(40),
    reported_at    TIMESTAMPTZ,
    bytes_wanted   BIGINT        NOT NULL DEFAULT 0,
    bytes_read     BIGINT        NOT NULL DEFAULT 0,
    pieces_failed  INT           NOT NULL DEFAULT 0,
    whole_torrent  BOOLEAN       NOT NULL DEFAULT TRUE,
    finished_at    TIMESTAMPTZ
);
CREATE INDEX preheat_unsent ON preheat (requested_at) WHERE NOT sent;
