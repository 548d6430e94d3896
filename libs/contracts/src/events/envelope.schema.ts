import { z } from 'zod';
import { IsoTimestampSchema } from './common.schema';

/**
 * What travels on a queue: the event name and payload plus the delivery facts. `id` is the producer's outbox id
 * (`<producer>-<outbox id>`), also the BullMQ job id, and the key consumers de-duplicate on.
 */
export const EventEnvelopeSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  producer: z.string().min(1),
  occurredAt: IsoTimestampSchema,
  correlationId: z.string().nullable(),
  payload: z.unknown(),
});
export type EventEnvelopeBase = z.infer<typeof EventEnvelopeSchema>;
