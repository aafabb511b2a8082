-- Receipts: the relay's sequence number of each envelope this install sent (seen
-- when it lists its own envelopes back), and how far each other member of a channel
-- has said it holds (the relay's member list). An item is "received by the other
-- side" when a member other than this install holds past its number.
-- Released migrations are never edited: add a new numbered file instead.
ALTER TABLE outbox ADD COLUMN seq INTEGER;
ALTER TABLE channel_member ADD COLUMN acked_seq INTEGER NOT NULL DEFAULT 0;
-- A message's delivery state is looked up by its item id.
CREATE INDEX outbox_item_id ON outbox (item_id);
