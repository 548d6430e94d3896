import { describe, expect, it } from 'vitest';
import type { CommandBus } from '@nestjs/cqrs';
import { eventsRoutedTo, QUEUES } from '@jixiao/contracts';
import { HandlerRegistry } from '@jixiao/messaging';
import { scoringInboxHandlers } from './scoring-inbox.handlers';

describe('scoring inbox handlers', () => {
  it('handle exactly the events routing.ts sends to scoring-inbox', () => {
    const registry = new HandlerRegistry(
      'scoring',
      scoringInboxHandlers({} as CommandBus, () => undefined),
    );
    expect(() => registry.assertMatchesRouting(QUEUES.scoringInbox)).not.toThrow();
    expect(registry.events().sort()).toEqual(eventsRoutedTo(QUEUES.scoringInbox).sort());
  });
});
