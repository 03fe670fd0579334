import { Injectable, OnModuleInit } from '@nestjs/common';
import { DomainEvents } from '@shipei/core';
import { COMPOSERS } from '../messages/composers';
import { Outbox } from './outbox';

/**
 * Listens to the domain events of §13 and writes their messages to the outbox, inside the
 * transaction of the change (so nothing is told about a change that rolled back).
 */
@Injectable()
export class NotificationsSubscriber implements OnModuleInit {
  constructor(
    private readonly events: DomainEvents,
    private readonly outbox: Outbox,
  ) {}

  onModuleInit(): void {
    for (const [type, compose] of Object.entries(COMPOSERS))
      this.events.subscribe(type, async (em, event) => {
        await this.outbox.write(em, await compose(em, event));
      });
  }
}
