-- The widget's funnel: how many views, starts, completions and leads each embedding site
-- had per day and mode. Counts only: no visitor, no address, no identifier.
CREATE TABLE funnel (
    day    TEXT NOT NULL,
    origin TEXT NOT NULL,
    mode   TEXT NOT NULL,
    event  TEXT NOT NULL CHECK (event IN ('view', 'start', 'complete', 'lead')),
    count  BIGINT NOT NULL,
    PRIMARY KEY (day, origin, mode, event)
);
