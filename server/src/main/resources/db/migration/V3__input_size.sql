-- The render size a request chose (the official pipeline's --input_size); NULL is the model's own.
ALTER TABLE challenges ADD COLUMN input_size INTEGER;
ALTER TABLE jobs ADD COLUMN input_size INTEGER;
