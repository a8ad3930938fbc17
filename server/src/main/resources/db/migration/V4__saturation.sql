-- The colour strength a paid request chose, in hundredths (120 for 1.2); NULL is the model's own colours (1).
-- Kept with the job, not the challenge: the request carries it and the token's digest binds it.
ALTER TABLE jobs ADD COLUMN saturation_percent INTEGER;
