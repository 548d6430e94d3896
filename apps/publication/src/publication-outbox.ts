import { Injectable } from '@nestjs/common';
import type { ServiceMessaging } from '@jixiao/messaging';

/** Lets command handlers wake the outbox relay after their transaction commits (the relay is started later). */
@Injectable()
export class PublicationOutbox {
  private messaging: ServiceMessaging | null = null;

  attach(messaging: ServiceMessaging | null): void {
    this.messaging = messaging;
  }

  nudge(): void {
    this.messaging?.nudge();
  }
}
