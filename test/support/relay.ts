import { INestApplication } from '@nestjs/common';
import { EventRelay } from '@shipei/core';

/**
 * Resolves when every event committed so far has reached its consumers (the notifications write
 * their messages after the change commits, in the relay's own transaction).
 */
export const relayed = (app: INestApplication): Promise<void> => app.get(EventRelay).drain();
