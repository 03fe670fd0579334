import { Injectable } from '@nestjs/common';

/**
 * The time every rule sees: deadlines, the check-in code's 30-second step and window, lateness,
 * timestamps written with a change. One provider (CoreModule, global), so tests and benchmarks set
 * the time (`jest.spyOn(app.get(Clock), 'now')`) without touching the system clock. Lint forbids
 * `Date.now()` and `new Date()` elsewhere in libs.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
