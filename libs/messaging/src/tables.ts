import { assertIdentifier } from '@jixiao/persistence';

/** Each service owns its messaging tables: `<service>_outbox` and `<service>_inbox`. */
export function messagingTables(service: string) {
  const s = assertIdentifier(service);
  return { outbox: `${s}_outbox`, inbox: `${s}_inbox` };
}

/** The event id (and BullMQ job id) of an outbox row: unique per producer, never a bare integer, no colon. */
export function eventIdOf(service: string, outboxId: number | string): string {
  return `${service}-${outboxId}`;
}
