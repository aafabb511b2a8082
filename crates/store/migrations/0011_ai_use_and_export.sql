-- The client's consent to a provider's use of AI (ABA Formal Op. 512), with its
-- evidence, and a provider's export-control clearance (or the licence or exemption
-- number that allows a release): both facts the send guard asks for.
-- Released migrations are never edited: add a new numbered file instead.
ALTER TABLE consent ADD COLUMN covers_ai_use INTEGER NOT NULL DEFAULT 0;
ALTER TABLE consent ADD COLUMN ai_use_evidence TEXT;
ALTER TABLE provider ADD COLUMN export_clearance TEXT;
