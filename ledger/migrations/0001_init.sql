-- The refunds ledger: entries as reported to CBP, the HTS numbers on each
-- line with the duty paid, CAPE declarations and refunds received.
-- Dates are ISO text (YYYY-MM-DD); money is exact decimal text; flags are
-- 0/1 integers, so that SQLite and PostgreSQL share one schema and one set
-- of queries.
CREATE TABLE entries (
    entry_number       TEXT PRIMARY KEY,
    importer           TEXT NOT NULL,
    filer_code         TEXT NOT NULL,
    entry_type         TEXT,
    entry_date         TEXT NOT NULL,
    port               TEXT,
    liquidation_status TEXT,
    liquidation_date   TEXT,
    deposit_date       TEXT,
    reconciliation     INTEGER,
    reconciliation_filed INTEGER,
    drawback           INTEGER,
    protest            INTEGER,
    adcvd              INTEGER,
    estimated          INTEGER NOT NULL DEFAULT 0,
    source             TEXT NOT NULL,
    import_id          TEXT NOT NULL
);
CREATE INDEX entries_importer ON entries (importer, entry_date);

CREATE TABLE lines (
    entry_number TEXT NOT NULL,
    line_number  INTEGER NOT NULL,
    hts          TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    origin       TEXT,
    value        TEXT NOT NULL,
    duty         TEXT NOT NULL,
    quantity     TEXT,
    unit         TEXT,
    import_id    TEXT NOT NULL,
    PRIMARY KEY (entry_number, line_number, hts)
);

CREATE TABLE declarations (
    id         TEXT PRIMARY KEY,
    importer   TEXT NOT NULL,
    status     TEXT NOT NULL,
    created_on TEXT NOT NULL,
    file_name  TEXT,
    entries    INTEGER NOT NULL,
    source     TEXT NOT NULL
);

CREATE TABLE declaration_entries (
    declaration_id TEXT NOT NULL,
    entry_number   TEXT NOT NULL,
    PRIMARY KEY (declaration_id, entry_number)
);
CREATE INDEX declaration_entries_entry ON declaration_entries (entry_number);

CREATE TABLE refunds (
    entry_number  TEXT NOT NULL,
    refund_number TEXT NOT NULL,
    declaration   TEXT,
    principal     TEXT NOT NULL,
    interest      TEXT NOT NULL,
    status        TEXT,
    status_date   TEXT,
    source        TEXT NOT NULL,
    PRIMARY KEY (entry_number, refund_number)
);
CREATE INDEX refunds_number ON refunds (refund_number);

CREATE TABLE imports (
    id       TEXT PRIMARY KEY,
    kind     TEXT NOT NULL,
    name     TEXT NOT NULL,
    rows     INTEGER NOT NULL,
    entries  INTEGER NOT NULL,
    at       TEXT NOT NULL
);
