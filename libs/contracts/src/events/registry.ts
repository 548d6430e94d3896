import type { z } from 'zod';
import type { EventDefinition } from './define-event';
import { SubmissionReceivedV1 } from './intake/submission-received.event';
import { EvaluationPublishedV1 } from './publication/evaluation-published.event';
import { EvaluationRetractedV1 } from './publication/evaluation-retracted.event';
import { EvaluationApprovedV1 } from './review/evaluation-approved.event';
import { EvaluationReturnedV1 } from './review/evaluation-returned.event';
import { EvaluationRoutedV1 } from './review/evaluation-routed.event';
import { EvaluationsReopenedV1 } from './review/evaluations-reopened.event';
import { EvaluationScoredV1 } from './scoring/evaluation-scored.event';
import { EvaluationsRescoredV1 } from './scoring/evaluations-rescored.event';
import { RuleSetActivatedV1 } from './scoring/ruleset-activated.event';
import { RuleSetSnapshotV1 } from './scoring/ruleset-snapshot.event';

const definitions = [
  SubmissionReceivedV1,
  EvaluationScoredV1,
  RuleSetActivatedV1,
  RuleSetSnapshotV1,
  EvaluationsRescoredV1,
  EvaluationRoutedV1,
  EvaluationApprovedV1,
  EvaluationReturnedV1,
  EvaluationsReopenedV1,
  EvaluationPublishedV1,
  EvaluationRetractedV1,
] as const;

type Definition = (typeof definitions)[number];

/** Every wire event by name: the single typed registry of the pipeline. */
export const EVENTS = Object.fromEntries(definitions.map((d) => [d.name, d])) as {
  readonly [D in Definition as D['name']]: D;
};

export type EventName = keyof typeof EVENTS;
export type EventPayload<N extends EventName> = z.output<(typeof EVENTS)[N]['schema']>;

export const EVENT_NAMES = definitions.map((d) => d.name) as EventName[];

export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(EVENTS, name);
}

export class UnknownEventError extends Error {
  constructor(readonly eventName: string) {
    super(`unknown event "${eventName}" (known: ${EVENT_NAMES.join(', ')})`);
    this.name = 'UnknownEventError';
  }
}

export class InvalidEventPayloadError extends Error {
  constructor(
    readonly eventName: string,
    readonly issues: z.core.$ZodIssue[],
  ) {
    super(
      `invalid payload for ${eventName}: ` +
        issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; '),
    );
    this.name = 'InvalidEventPayloadError';
  }
}

/** Validates a payload against its event's schema; throws naming the event and each bad field. */
export function parseEvent<N extends EventName>(name: N, payload: unknown): EventPayload<N> {
  if (!isEventName(name)) throw new UnknownEventError(name);
  const definition: EventDefinition = EVENTS[name];
  const result = definition.schema.safeParse(payload);
  if (!result.success) throw new InvalidEventPayloadError(name, result.error.issues);
  return result.data as EventPayload<N>;
}
