-- Wharf's own integration actions. ALTER TYPE ... ADD VALUE gets a script of its own, run outside a
-- transaction (see the .conf beside it): the values must be committed before any later script uses them,
-- and an adopted action_type_enum created by the adapter service lacks them.
ALTER TYPE action_type_enum ADD VALUE IF NOT EXISTS 'bma_transaction';
ALTER TYPE action_type_enum ADD VALUE IF NOT EXISTS 'connector_test';
ALTER TYPE action_type_enum ADD VALUE IF NOT EXISTS 's3_file_migration';
