-- The highest sequence number each member has said it holds: a member that lists
-- envelopes after N has applied (or refused) everything up to N. Senders read it in
-- the member list to show "received by the provider". Never edit a released file.
ALTER TABLE member ADD COLUMN acked INTEGER NOT NULL DEFAULT 0;
