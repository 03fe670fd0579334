import { Injectable, OnModuleInit } from '@nestjs/common';
import { DomainEvents } from '@shipei/core';
import { COMPOSERS } from '../messages/composers';
import { Outbox } from './outbox';

/**
 * Consumes the domain events of §13 after their change has committed (nothing is told about a change
 * that rolled back, and the change pays only for storing its event) and writes their messages —
 * inbox rows and deliveries — in the relay's transaction, which marks the event handled: once.
 */
@Injectable()
export class NotificationsSubscriber implements OnModuleInit {
  constructor(
    private readonly events: DomainEvents,
    private readonly outbox: Outbox,
  ) {}

  onModuleInit(): void {
    for (const [type, compose] of Object.entries(COMPOSERS))
      this.events.consume(type, async (em, event) => {
        await this.outbox.write(em, await compose(em, event));
      });
  }
}
