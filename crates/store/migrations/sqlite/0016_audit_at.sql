-- The audit log filtered by a range of days reads the events of those days
-- through this index instead of walking back through every later event.
CREATE INDEX audit_events_at ON audit_events (at, seq);
