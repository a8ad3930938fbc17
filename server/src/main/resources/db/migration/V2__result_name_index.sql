-- A result's URL names its object; the redirect delivery finds the job (and so the result's expiry) by it.
CREATE INDEX jobs_result_name ON jobs (result_name);
