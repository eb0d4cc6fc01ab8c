-- Distinct contents: the store holds each SHA-256 once, under object_key.
CREATE TABLE content (
    sha256      CHAR(64)     PRIMARY KEY,
    object_key  VARCHAR(512) NOT NULL UNIQUE,
    size        BIGINT       NOT NULL CHECK (size >= 0),
    created_at  TIMESTAMPTZ  NOT NULL
);

-- Artifacts: one upload that became a torrent. A name belongs to at most one published artifact.
CREATE TABLE artifact (
    id              UUID         PRIMARY KEY,
    name            TEXT         NOT NULL CHECK (octet_length(name) BETWEEN 1 AND 255),
    status          VARCHAR(16)  NOT NULL CHECK (status IN ('PUBLISHED', 'RETIRED')),
    size            BIGINT       NOT NULL CHECK (size >= 0),
    sha256          CHAR(64)     NOT NULL,
    format          VARCHAR(8)   NOT NULL CHECK (format IN ('v1', 'hybrid', 'v2')),
    piece_length    INTEGER      NOT NULL CHECK (piece_length >= 16384),
    private_torrent BOOLEAN      NOT NULL,
    single_file     BOOLEAN      NOT NULL,
    comment         TEXT,
    created_at      TIMESTAMPTZ  NOT NULL,
    retired_at      TIMESTAMPTZ
);
CREATE UNIQUE INDEX artifact_published_name ON artifact (name) WHERE status = 'PUBLISHED';
CREATE INDEX artifact_created_at ON artifact (created_at);

CREATE SEQUENCE artifact_file_seq INCREMENT BY 50;
CREATE TABLE artifact_file (
    id          BIGINT   PRIMARY KEY,
    artifact_id UUID     NOT NULL REFERENCES artifact (id) ON DELETE CASCADE,
    position    INTEGER  NOT NULL,
    path        TEXT     NOT NULL,
    length      BIGINT   NOT NULL CHECK (length >= 0),
    sha256      CHAR(64) NOT NULL,
    UNIQUE (artifact_id, position)
);
CREATE INDEX artifact_file_sha256 ON artifact_file (sha256);

-- The torrent of an artifact, and whether its event (or, once retired, its tombstone) reached Kafka.
CREATE TABLE torrent (
    artifact_id  UUID         PRIMARY KEY REFERENCES artifact (id) ON DELETE CASCADE,
    info_hash    CHAR(40),
    info_hash_v2 CHAR(64),
    swarm_key    CHAR(40)     NOT NULL,
    torrent_key  VARCHAR(512) NOT NULL,
    trackers     TEXT         NOT NULL,
    published    BOOLEAN      NOT NULL DEFAULT FALSE,
    tombstoned   BOOLEAN      NOT NULL DEFAULT FALSE,
    CHECK (info_hash IS NOT NULL OR info_hash_v2 IS NOT NULL)
);
CREATE INDEX torrent_info_hash ON torrent (info_hash);
CREATE INDEX torrent_info_hash_v2 ON torrent (info_hash_v2);
CREATE INDEX torrent_swarm_key ON torrent (swarm_key);

-- Uploads metadata refused (a name taken meanwhile, hashes that do not fit), so the gateway can say why.
CREATE TABLE rejected_upload (
    artifact_id UUID        PRIMARY KEY,
    name        TEXT        NOT NULL,
    reason      TEXT        NOT NULL,
    conflict    BOOLEAN     NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
