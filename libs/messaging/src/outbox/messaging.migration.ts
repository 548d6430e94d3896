import { Table } from 'typeorm';
import { defineMigration, portableColumns, type MigrationClass } from '@jixiao/persistence';
import { messagingTables } from '../tables';

const pascal = (s: string) => s.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());

/**
 * Creates `<service>_outbox` (events waiting for the relay; the partial index keeps the unsent ones cheap to find
 * however many sent rows accumulate) and `<service>_inbox` (ids of the events the service has processed).
 */
export function messagingMigration(service: string, timestamp = 1_763_700_000_100): MigrationClass {
  const { outbox, inbox } = messagingTables(service);
  return defineMigration(`Create${pascal(service)}Messaging`, timestamp, {
    async up(queryRunner) {
      const c = portableColumns(queryRunner);
      await queryRunner.createTable(
        new Table({
          name: outbox,
          columns: [
            c.id(),
            c.varchar('name', 100),
            c.json('payload'),
            c.timestamp('occurred_at'),
            c.varchar('correlation_id', 100, true),
            /** Lets a retried producer (a bulk re-scoring chunk run twice) write an event once. */
            c.varchar('dedupe_key', 200, true),
            c.timestamp('sent_at', true),
          ],
          indices: [
            { name: `ux_${outbox}_dedupe`, columnNames: ['dedupe_key'], isUnique: true },
            { name: `ix_${outbox}_unsent`, columnNames: ['id'], where: 'sent_at IS NULL' },
          ],
        }),
      );
      await queryRunner.createTable(
        new Table({
          name: inbox,
          columns: [
            { ...c.varchar('event_id', 200), isPrimary: true },
            c.varchar('event_name', 100),
            c.timestamp('processed_at'),
          ],
        }),
      );
    },
    async down(queryRunner) {
      await queryRunner.dropTable(inbox);
      await queryRunner.dropTable(outbox);
    },
  });
}

/**
 * Adds `<service>_outbox.payload_encoding`: null for a payload stored as its JSON text, `gzip+base64` for one its
 * producer compressed before writing it (a re-scoring chunk's event, ~1.4 MB of JSON: see enqueueEvents). The relay
 * sends such a payload on as it is.
 */
export function outboxPayloadEncodingMigration(service: string, timestamp = 1_765_100_000_000): MigrationClass {
  const { outbox } = messagingTables(service);
  // Plain ALTER TABLE on both databases: TypeORM's addColumn rebuilds a SQLite table (copy, drop, rename), and the
  // rebuilt outbox's AUTOINCREMENT would restart after the highest id left in it, so after pruning an event id could
  // come round again — and a consumer's inbox would take the new event for one it has already handled.
  return defineMigration(`${pascal(service)}OutboxPayloadEncoding`, timestamp, {
    async up(queryRunner) {
      await queryRunner.query(`ALTER TABLE ${outbox} ADD COLUMN payload_encoding varchar(20)`);
    },
    async down(queryRunner) {
      await queryRunner.query(`ALTER TABLE ${outbox} DROP COLUMN payload_encoding`);
    },
  });
}

/**
 * A service's messaging migrations, in order, for a data source that holds the messaging tables of several services
 * (tests, tools): `offset` keeps their timestamps apart. A service lists the two with its own migrations.
 */
export function messagingMigrations(service: string, offset = 0): MigrationClass[] {
  return [messagingMigration(service, 1_763_700_000_100 + offset), outboxPayloadEncodingMigration(service, 1_765_100_000_000 + offset)];
}
