-- Chroma402's state. Portable SQL: runs unchanged on SQLite and PostgreSQL.
-- Times are epoch milliseconds (BIGINT); hashes and ids are lower-case hex.

-- Secrets that L402 root keys are derived from. A token's root key is
-- HMAC-SHA256(secret, token id); retiring a key revokes every token minted under it.
CREATE TABLE root_keys (
    id          VARCHAR(32)  PRIMARY KEY,
    secret      VARCHAR(64)  NOT NULL,
    created_at  BIGINT       NOT NULL,
    retired_at  BIGINT
);

-- Every 402 challenge issued: what the token is bound to and which invoice pays it.
CREATE TABLE challenges (
    token_id            VARCHAR(64)  PRIMARY KEY,
    payment_hash        VARCHAR(64)  NOT NULL,
    key_id              VARCHAR(32)  NOT NULL,
    request_digest      VARCHAR(64)  NOT NULL,
    model               VARCHAR(64)  NOT NULL,
    amount_msat         BIGINT       NOT NULL,
    bolt11              TEXT         NOT NULL,
    created_at          BIGINT       NOT NULL,
    invoice_expires_at  BIGINT       NOT NULL,
    token_expires_at    BIGINT       NOT NULL
);
CREATE INDEX challenges_payment_hash ON challenges (payment_hash);
CREATE INDEX challenges_created_at ON challenges (created_at);

-- One job per payment: the unique payment hash is what makes a payment buy exactly one result.
CREATE TABLE jobs (
    id                  VARCHAR(32)  PRIMARY KEY,
    payment_hash        VARCHAR(64)  NOT NULL UNIQUE,
    token_id            VARCHAR(64)  NOT NULL,
    request_digest      VARCHAR(64)  NOT NULL,
    model               VARCHAR(64)  NOT NULL,
    amount_msat         BIGINT       NOT NULL,
    state               VARCHAR(16)  NOT NULL,
    attempts            INTEGER      NOT NULL,
    lease_owner         VARCHAR(32),
    lease_until         BIGINT       NOT NULL,
    input_name          VARCHAR(64),
    result_name         VARCHAR(64),
    width               INTEGER,
    height              INTEGER,
    error               TEXT,
    created_at          BIGINT       NOT NULL,
    updated_at          BIGINT       NOT NULL,
    finished_at         BIGINT,
    result_expires_at   BIGINT,
    result_deleted_at   BIGINT
);
CREATE INDEX jobs_state ON jobs (state);
CREATE INDEX jobs_result_expires_at ON jobs (result_expires_at);
