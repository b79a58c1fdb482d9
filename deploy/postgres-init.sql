-- One database per service: no service reads another's tables (docs: design, "Services and
-- what each owns"). Runs once, when the PostgreSQL volume is created.
CREATE ROLE tollgate LOGIN PASSWORD 'tollgate';
CREATE DATABASE tollgate_gateway OWNER tollgate;
CREATE DATABASE tollgate_metering OWNER tollgate;
CREATE DATABASE tollgate_billing OWNER tollgate;
CREATE DATABASE tollgate_alerting OWNER tollgate;
