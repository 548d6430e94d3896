import 'reflect-metadata';
import type { EventName, EventPayload } from '@jixiao/contracts';
import type { BatchEventHandler, HandlerContext, OrderKeys } from '../inbox/handler-registry';

const ON_EVENT = Symbol('jixiao:on-event');

/**
 * A Nest provider handling one wire event in its service's inbox (one class per event, one file each). An optional
 * `handleBatch` is the inbox's group commit (see `defineHandler`): several events of this name in one transaction,
 * with the same effect as `handle` for each in turn; an optional `orderKeys` names what an event touches, so the
 * inbox may group it with others of its name past events that touch something else (see `OrderKeys`).
 */
export interface EventHandlerClass<N extends EventName = EventName> {
  handle(payload: EventPayload<N>, context: HandlerContext): Promise<void>;
  handleBatch?: BatchEventHandler<N>;
  orderKeys?: OrderKeys<N>;
}

/** Marks a provider class as the handler of `event`: `@OnEvent('scoring.evaluation.scored.v1') class … { handle() }`. */
export function OnEvent<N extends EventName>(event: N) {
  return (target: new (...args: never[]) => EventHandlerClass<N>): void => {
    Reflect.defineMetadata(ON_EVENT, event, target);
  };
}

export function eventOf(target: object): EventName | undefined {
  return Reflect.getMetadata(ON_EVENT, target) as EventName | undefined;
}
