-- What became of an upload that did not become an artifact: refused (with the reason; conflict when its name
-- was taken by other content), or unchanged (its name already held the same content and options). The gateway
-- reads it to answer its client; metadata reads it to know an event it sees again is handled.
CREATE TABLE upload_outcome (
    artifact_id          UUID        PRIMARY KEY,
    name                 TEXT        NOT NULL,
    outcome              VARCHAR(16) NOT NULL CHECK (outcome IN ('REJECTED', 'UNCHANGED')),
    reason               TEXT,
    conflict             BOOLEAN     NOT NULL DEFAULT FALSE,
    existing_artifact_id UUID        REFERENCES artifact (id) ON DELETE SET NULL,
    created_at           TIMESTAMPTZ NOT NULL
);
INSERT INTO upload_outcome (artifact_id, name, outcome, reason, conflict, created_at)
    SELECT artifact_id, name, 'REJECTED', reason, conflict, created_at FROM rejected_upload;
DROP TABLE rejected_upload;
