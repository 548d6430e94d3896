import { Table } from 'typeorm';
import { defineMigration, portableColumns } from '@jixiao/persistence';
import { INTAKE_TABLES } from './intake-tables';

const { idempotencyKeys } = INTAKE_TABLES;

/**
 * The `Idempotency-Key`s of submissions: per user, the fingerprint of the request that used the key and what it was
 * answered, written in the submission's own transaction. Rows are kept for a day (`IDEMPOTENCY_TTL_MS`).
 */
export const CreateIdempotencyKeys = defineMigration('IntakeIdempotencyKeys', 1_766_100_000_000, {
  async up(queryRunner) {
    const c = portableColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: idempotencyKeys,
        columns: [
          { ...c.varchar('created_by', 200), isPrimary: true },
          { ...c.varchar('idempotency_key', 255), isPrimary: true },
          c.varchar('fingerprint', 71),
          c.json('result'),
          c.timestamp('created_at'),
        ],
        indices: [{ name: 'ix_intake_idempotency_keys_created_at', columnNames: ['created_at'] }],
      }),
    );
  },
  async down(queryRunner) {
    await queryRunner.dropTable(idempotencyKeys);
  },
});
