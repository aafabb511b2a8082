-- The Messages tab asks, for each message on a page, whether it came through the
-- exchange: by item id alone, which the table's key (channel, item) cannot answer
-- without a scan.
-- Released migrations are never edited: add a new numbered file instead.
CREATE INDEX exchange_item_item ON exchange_item (item_id);
