import {
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type InjectionToken,
  type ModuleMetadata,
  type OnApplicationBootstrap,
  type Type,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { DataSource } from 'typeorm';
import type { InboxQueueName } from '@jixiao/contracts';
import { defineHandler, type AnyHandlerDefinition } from '../inbox/handler-registry';
import type { MessagingLogger } from '../logger';
import type { RedisConnectionInput } from '../redis/redis-connection';
import { ServiceMessaging } from '../service-messaging';
import { eventOf, type EventHandlerClass } from './on-event.decorator';

export interface MessagingRuntimeOptions {
  dataSource: DataSource;
  redis: RedisConnectionInput;
  prefix?: string;
  logger?: MessagingLogger;
  /** See InboxWorkerOptions.logEvents. */
  logEvents?: boolean;
  concurrency?: number;
  relay?: { batchSize?: number; pollIntervalMs?: number };
}

export interface MessagingForServiceOptions {
  service: string;
  /** The service's inbox queue and its handler classes (each decorated with `@OnEvent`, each a provider). */
  inbox?: { queue: InboxQueueName; handlers: Array<Type<unknown>> };
  imports?: ModuleMetadata['imports'];
  inject?: InjectionToken[];
  useFactory: (...deps: never[]) => MessagingRuntimeOptions | Promise<MessagingRuntimeOptions>;
}

const OPTIONS = Symbol('jixiao:messaging-options');
const SPEC = Symbol('jixiao:messaging-spec');

/**
 * The service's messaging inside Nest: builds the handler registry from the listed classes at bootstrap (start-up
 * fails if an event routed to the inbox has no handler, or two), starts the relay and the worker, and stops them on
 * shutdown (enable Nest's shutdown hooks). Inject it to `nudge()` after a transaction that enqueued events.
 */
@Injectable()
export class MessagingRuntime implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private messaging: ServiceMessaging | null = null;

  constructor(
    @Inject(OPTIONS) private readonly options: MessagingRuntimeOptions,
    @Inject(SPEC) private readonly spec: Pick<MessagingForServiceOptions, 'service' | 'inbox'>,
    private readonly moduleRef: ModuleRef,
  ) {}

  get service(): string {
    return this.spec.service;
  }

  async onApplicationBootstrap(): Promise<void> {
    const { service, inbox } = this.spec;
    const handlers = inbox ? inbox.handlers.map((cls) => this.handlerFor(cls)) : [];
    this.messaging = new ServiceMessaging({
      service,
      dataSource: this.options.dataSource,
      redis: this.options.redis,
      prefix: this.options.prefix,
      logger: this.options.logger,
      logEvents: this.options.logEvents,
      relay: this.options.relay,
      inbox: inbox ? { queue: inbox.queue, handlers, concurrency: this.options.concurrency } : undefined,
    });
    await this.messaging.start();
  }

  nudge(): void {
    this.messaging?.nudge();
  }

  async beforeApplicationShutdown(): Promise<void> {
    const messaging = this.messaging;
    this.messaging = null;
    await messaging?.stop();
  }

  private handlerFor(cls: Type<unknown>): AnyHandlerDefinition {
    const event = eventOf(cls);
    if (!event)
      throw new Error(`${this.spec.service}: ${cls.name} is listed as an event handler but has no @OnEvent(…)`);
    const instance = this.moduleRef.get(cls, { strict: false }) as Partial<EventHandlerClass>;
    if (typeof instance?.handle !== 'function')
      throw new Error(`${this.spec.service}: ${cls.name} has no handle(payload, context) method`);
    const handle = instance.handle.bind(instance) as EventHandlerClass['handle'];
    const batch = instance.handleBatch?.bind(instance) as EventHandlerClass['handleBatch'];
    const keys = instance.orderKeys?.bind(instance) as EventHandlerClass['orderKeys'];
    return defineHandler(
      event,
      (payload, context) => handle(payload as never, context),
      batch && ((items) => batch(items as never)),
      keys && ((payload) => keys(payload as never)),
    ) as AnyHandlerDefinition;
  }
}

@Module({})
export class MessagingModule {
  static forService(options: MessagingForServiceOptions): DynamicModule {
    return {
      module: MessagingModule,
      imports: options.imports ?? [],
      providers: [
        { provide: OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
        { provide: SPEC, useValue: { service: options.service, inbox: options.inbox } },
        MessagingRuntime,
      ],
      exports: [MessagingRuntime],
    };
  }
}
