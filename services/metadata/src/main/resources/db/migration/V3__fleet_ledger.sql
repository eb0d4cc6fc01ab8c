-- The fleet ledger: what each host says when it announces (shoal.tracker.hosts), per swarm; what the seeder-workers
-- served (shoal.seeder.stats); and samples of both over time for the rollout view. Seeder-workers announce too:
-- fleet_seeder names their peer ids, so they are not counted as hosts.
CREATE TABLE fleet_host (
    swarm_key          CHAR(40)    NOT NULL,
    endpoint           VARCHAR(64) NOT NULL,
    peer_id            CHAR(40)    NOT NULL,
    uploaded           BIGINT      NOT NULL,
    downloaded         BIGINT      NOT NULL,
    -- what earlier sessions of a client at this endpoint reported (a restarted client counts from 0 again)
    uploaded_before    BIGINT      NOT NULL DEFAULT 0,
    downloaded_before  BIGINT      NOT NULL DEFAULT 0,
    left_bytes         BIGINT      NOT NULL,
    stopped            BOOLEAN     NOT NULL,
    first_seen         TIMESTAMPTZ NOT NULL,
    last_seen          TIMESTAMPTZ NOT NULL,
    -- the last announce at which it had less left than before (or its first)
    last_progress      TIMESTAMPTZ NOT NULL,
    completed_at       TIMESTAMPTZ,
    PRIMARY KEY (swarm_key, endpoint)
);
CREATE INDEX fleet_host_last_seen ON fleet_host (last_seen);

CREATE TABLE fleet_seeder (
    peer_id    CHAR(40)     PRIMARY KEY,
    address    VARCHAR(255) NOT NULL,
    last_seen  TIMESTAMPTZ  NOT NULL
);

CREATE TABLE fleet_served (
    swarm_key     CHAR(40)    PRIMARY KEY,
    seeder_bytes  BIGINT      NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE fleet_sample (
    swarm_key     CHAR(40)    NOT NULL,
    at            TIMESTAMPTZ NOT NULL,
    completed     INT         NOT NULL,
    in_progress   INT         NOT NULL,
    stalled       INT         NOT NULL,
    delivered     BIGINT      NOT NULL,
    seeder_bytes  BIGINT      NOT NULL,
    PRIMARY KEY (swarm_key, at)
);
