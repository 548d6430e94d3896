import { Table } from 'typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { EVENTS, type EventEnvelopeBase, type EventPayload } from '@jixiao/contracts';
import { defineMigration, dialectOf, placeholder } from '@jixiao/persistence';
import { defineHandler, type AnyHandlerDefinition } from '../inbox/handler-registry';

/** A consumer's effect table for the messaging tests: one row per handled event. */
export const effectsMigration = defineMigration('CreateTestEffects', 1_763_700_000_900, {
  async up(queryRunner) {
    await queryRunner.createTable(
      new Table({
        name: 'test_effects',
        columns: [
          { name: 'event_id', type: 'varchar', length: '200' },
          { name: 'evaluation_id', type: 'varchar', length: '200' },
        ],
      }),
    );
  },
  async down(queryRunner) {
    await queryRunner.dropTable('test_effects');
  },
});

export function submission(i: number): EventPayload<'intake.submission.received.v1'> {
  return { ...EVENTS['intake.submission.received.v1'].example, submissionId: `sub_${i}`, evaluationId: `ev_${i}` };
}

/** The envelope intake would send for `submission(i)` (event id `intake-<i>`). */
export function submissionEnvelope(i: number): EventEnvelopeBase {
  return {
    id: `intake-${i}`,
    name: 'intake.submission.received.v1',
    producer: 'intake',
    occurredAt: '2026-01-01T00:00:00.000Z',
    correlationId: null,
    payload: submission(i),
  };
}

async function recordEffect(manager: EntityManager, eventId: string, evaluationId: string) {
  const d = dialectOf(manager);
  await manager.query(
    `INSERT INTO test_effects (event_id, evaluation_id) VALUES (${placeholder(d, 1)}, ${placeholder(d, 2)})`,
    [eventId, evaluationId],
  );
}

/** The scoring inbox's handlers, as a real scoring service would register them (effects only). */
export const scoringHandlers: AnyHandlerDefinition[] = [
  defineHandler('intake.submission.received.v1', async (payload, { manager, event }) =>
    recordEffect(manager, event.id, payload.evaluationId),
  ),
  defineHandler('scoring.ruleset.activated.v1', async (payload, { manager, event }) =>
    recordEffect(manager, event.id, `ruleset:${payload.ruleSetId}`),
  ),
];

export async function countEffects(ds: DataSource): Promise<number> {
  const [row] = await ds.query('SELECT COUNT(*) AS n FROM test_effects');
  return Number(row.n);
}

export async function countUnsent(ds: DataSource, table: string): Promise<number> {
  const [row] = await ds.query(`SELECT COUNT(*) AS n FROM ${table} WHERE sent_at IS NULL`);
  return Number(row.n);
}
