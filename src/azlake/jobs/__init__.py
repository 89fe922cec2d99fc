"""`azlake run`: capacity check, staging, Livy submission, watching, publishing and teardown of a job."""
