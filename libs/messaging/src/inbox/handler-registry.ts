import type { EntityManager } from 'typeorm';
import {
  eventsRoutedTo,
  ROUTING,
  type EventEnvelopeBase,
  type EventName,
  type EventPayload,
  type InboxQueueName,
} from '@jixiao/contracts';

export interface HandlerContext {
  /** The transaction the inbox record is written in: write the handler's effect (and its audit, outbox) with it. */
  manager: EntityManager;
  event: EventEnvelopeBase;
  /** Runs after the transaction commits (and only if it does), e.g. to nudge the outbox relay. */
  afterCommit(fn: () => void | Promise<void>): void;
}

export type EventHandler<N extends EventName> = (payload: EventPayload<N>, context: HandlerContext) => Promise<void>;

/**
 * Handles several events of one name at once, in the order they were taken (all in one transaction, each already
 * recorded in the inbox): set-based work instead of one round of statements per event. Must have the same effect
 * as calling the single-event handler for each in turn.
 */
export type BatchEventHandler<N extends EventName> = (
  items: ReadonlyArray<{ payload: EventPayload<N>; context: HandlerContext }>,
) => Promise<void>;

/**
 * The entities an event's handler reads or writes (e.g. the evaluation ids whose case it changes). Within one
 * transaction the inbox may handle an event before earlier events of other names that share no key with it, so that
 * each name's events go to its `handleBatch` together; events sharing a key keep their order. Without it an event
 * keeps its place.
 */
export type OrderKeys<N extends EventName> = (payload: EventPayload<N>) => readonly string[];

export interface HandlerDefinition<N extends EventName = EventName> {
  event: N;
  handle: EventHandler<N>;
  /** Optional: used by the inbox worker when it takes several jobs of this event in one transaction. */
  handleBatch?: BatchEventHandler<N>;
  /** Optional: lets the inbox group this event with others of its name past unrelated events (see `OrderKeys`). */
  orderKeys?: OrderKeys<N>;
}

/** Any event's handler definition: what lists of handlers hold. */
export type AnyHandlerDefinition = { [N in EventName]: HandlerDefinition<N> }[EventName];

/** Typed helper for one handler per file: `export const onScored = defineHandler('scoring.evaluation.scored.v1', …)`. */
export function defineHandler<N extends EventName>(
  event: N,
  handle: EventHandler<N>,
  handleBatch?: BatchEventHandler<N>,
  orderKeys?: OrderKeys<N>,
): HandlerDefinition<N> {
  return { event, handle, ...(handleBatch ? { handleBatch } : {}), ...(orderKeys ? { orderKeys } : {}) };
}

/** Each event a service consumes has exactly one handler; the registry refuses a second. */
export class HandlerRegistry {
  private readonly handlers = new Map<EventName, HandlerDefinition<EventName>>();

  constructor(
    readonly service: string,
    definitions: ReadonlyArray<AnyHandlerDefinition> = [],
  ) {
    for (const d of definitions) this.register(d);
  }

  register(definition: AnyHandlerDefinition): this {
    if (!Object.prototype.hasOwnProperty.call(ROUTING, definition.event)) {
      throw new Error(`${this.service}: handler registered for unknown event "${definition.event}"`);
    }
    if (this.handlers.has(definition.event)) {
      throw new Error(
        `${this.service}: two handlers for ${definition.event}; each event has exactly one handler per service`,
      );
    }
    this.handlers.set(definition.event, definition as unknown as HandlerDefinition<EventName>);
    return this;
  }

  get(event: string): HandlerDefinition<EventName> | undefined {
    return this.handlers.get(event as EventName);
  }

  events(): EventName[] {
    return [...this.handlers.keys()];
  }

  /**
   * Start-up check against the routing table: every event routed to `queue` has a handler, and no handler waits
   * for an event the queue never receives (a routing mistake that would otherwise fail silently).
   */
  assertMatchesRouting(queue: InboxQueueName): void {
    const routed = eventsRoutedTo(queue);
    const missing = routed.filter((e) => !this.handlers.has(e));
    const unrouted = this.events().filter((e) => !routed.includes(e));
    const problems = [
      ...missing.map((e) => `no handler for ${e} (routed to ${queue})`),
      ...unrouted.map((e) => `handler for ${e}, which routing.ts does not deliver to ${queue}`),
    ];
    if (problems.length) throw new Error(`${this.service} inbox ${queue}: ${problems.join('; ')}`);
  }
}
