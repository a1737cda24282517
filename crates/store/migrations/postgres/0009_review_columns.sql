-- What the calibration view and the cycles' progress count, in columns of
-- their own beside each review's JSON body, so those pages read a narrow
-- index instead of decoding every body: the role reviewed, the overall
-- rating (its stable spelling) and the day each side signed. Back-filled
-- from the bodies here; every write of a review sets them with the body.
-- Promotion proposals get the indexes their lists select by.

ALTER TABLE reviews ADD COLUMN role TEXT;
ALTER TABLE reviews ADD COLUMN rating TEXT;
ALTER TABLE reviews ADD COLUMN own_signed_on TEXT;
ALTER TABLE reviews ADD COLUMN manager_signed_on TEXT;

UPDATE reviews SET
    role = body::jsonb ->> 'role',
    rating = body::jsonb ->> 'rating',
    own_signed_on = body::jsonb -> 'own' ->> 'signed_on',
    manager_signed_on = body::jsonb -> 'manager' ->> 'signed_on';

ALTER TABLE reviews ALTER COLUMN role SET NOT NULL;

CREATE INDEX reviews_calibration
    ON reviews (cycle_id, person_id, role, rating, own_signed_on, manager_signed_on);

CREATE INDEX promotion_proposals_proposer ON promotion_proposals (proposer_id, id);
CREATE INDEX promotion_proposals_status ON promotion_proposals (status, id);
