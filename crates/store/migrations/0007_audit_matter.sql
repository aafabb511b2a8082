-- A matter's history without reading every audit record: each record's matter (the
-- matter itself, or the one its detail names), as an indexed virtual column.
-- Virtual, so nothing is rewritten and the hash chain (over the stored fields) is
-- unchanged. Released migrations are never edited: add a new numbered file instead.

ALTER TABLE audit ADD COLUMN matter_id TEXT GENERATED ALWAYS AS (
    CASE WHEN entity = 'matter' THEN entity_id ELSE json_extract(detail, '$.matter_id') END
) VIRTUAL;
CREATE INDEX audit_matter ON audit (matter_id, seq);
