import { Table, type QueryRunner } from 'typeorm';
import { assertIdentifier, dialectOf } from '../data-source/dialect';
import { defineMigration, type MigrationClass } from '../migrations/define-migration';
import { portableColumns } from '../migrations/portable-columns';
import { GENESIS_HASH } from './audit-record';

const pascal = (s: string) => s.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());

/**
 * Creates a service's audit table `<table>` and its chain head `<table>_head` (one row: last seq and hash, the row
 * appenders lock). Triggers refuse UPDATE and DELETE on the log (and TRUNCATE on PostgreSQL), and refuse moving
 * the head backwards or deleting it.
 */
export function auditMigration(table: string, timestamp = 1_763_700_000_000): MigrationClass {
  const t = assertIdentifier(table);
  const head = assertIdentifier(`${t}_head`);
  return defineMigration(`Create${pascal(t)}`, timestamp, {
    async up(queryRunner) {
      const c = portableColumns(queryRunner);
      await queryRunner.createTable(
        new Table({
          name: t,
          columns: [
            { name: 'seq', type: 'bigint', isPrimary: true },
            c.timestamp('at'),
            c.varchar('actor_user', 200),
            c.varchar('actor_role', 50),
            c.varchar('entity_type', 100),
            c.varchar('entity_id', 200),
            c.varchar('action', 100),
            c.varchar('from_state', 100, true),
            c.varchar('to_state', 100, true),
            c.text('reason', true),
            c.varchar('dedupe_key', 200, true),
            c.varchar('payload_hash', 71),
            c.varchar('prev_hash', 71),
            c.varchar('hash', 71),
          ],
          indices: [
            { name: `ix_${t}_entity`, columnNames: ['entity_type', 'entity_id', 'seq'] },
            { name: `ux_${t}_dedupe`, columnNames: ['dedupe_key'], isUnique: true },
          ],
        }),
      );
      await queryRunner.createTable(
        new Table({
          name: head,
          columns: [{ name: 'id', type: 'integer', isPrimary: true }, c.bigint('seq'), c.varchar('hash', 71)],
        }),
      );
      await queryRunner.query(`INSERT INTO ${head} (id, seq, hash) VALUES (1, 0, '${GENESIS_HASH}')`);
      await createTriggers(queryRunner, t, head);
    },
    async down(queryRunner) {
      if (dialectOf(queryRunner) === 'postgres') {
        await queryRunner.query(`DROP FUNCTION IF EXISTS ${t}_append_only() CASCADE`);
        await queryRunner.query(`DROP FUNCTION IF EXISTS ${head}_forward_only() CASCADE`);
      }
      await queryRunner.dropTable(head);
      await queryRunner.dropTable(t);
    },
  });
}

async function createTriggers(queryRunner: QueryRunner, t: string, head: string): Promise<void> {
  if (dialectOf(queryRunner) === 'postgres') {
    await queryRunner.query(`
      CREATE FUNCTION ${t}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit log ${t} is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER ${t}_append_only BEFORE UPDATE OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION ${t}_append_only()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER ${t}_no_truncate BEFORE TRUNCATE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION ${t}_append_only()`,
    );
    await queryRunner.query(`
      CREATE FUNCTION ${head}_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' OR NEW.seq < OLD.seq THEN
          RAISE EXCEPTION 'audit chain head ${head} only moves forward' USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER ${head}_forward_only BEFORE UPDATE OR DELETE ON ${head} FOR EACH ROW EXECUTE FUNCTION ${head}_forward_only()`,
    );
    return;
  }
  await queryRunner.query(
    `CREATE TRIGGER ${t}_no_update BEFORE UPDATE ON ${t} BEGIN SELECT RAISE(ABORT, 'audit log ${t} is append-only: UPDATE refused'); END`,
  );
  await queryRunner.query(
    `CREATE TRIGGER ${t}_no_delete BEFORE DELETE ON ${t} BEGIN SELECT RAISE(ABORT, 'audit log ${t} is append-only: DELETE refused'); END`,
  );
  await queryRunner.query(
    `CREATE TRIGGER ${head}_forward_only BEFORE UPDATE ON ${head} WHEN NEW.seq < OLD.seq BEGIN SELECT RAISE(ABORT, 'audit chain head ${head} only moves forward'); END`,
  );
  await queryRunner.query(
    `CREATE TRIGGER ${head}_no_delete BEFORE DELETE ON ${head} BEGIN SELECT RAISE(ABORT, 'audit chain head ${head} only moves forward'); END`,
  );
}
