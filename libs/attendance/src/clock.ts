import { Injectable } from '@nestjs/common';

/**
 * The time the attendance rules see: the check-in code's 30-second step, the check-in window,
 * lateness, derived absence. One provider, so tests and benchmarks can set the time
 * (`jest.spyOn(app.get(Clock), 'now')`) without touching the system clock.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
