import { Injectable } from '@nestjs/common';
import { AppConfig, Clock } from '@shipei/core';
import { CHECKIN_STEP_MS, checkinCode, checkinStep, deriveCheckinKey, verifyCheckinCode } from './checkin-code';

export interface IssuedCode {
  code: string;
  /** When the screen should show the next code. */
  refreshAt: Date;
  /** When this code stops being accepted (the end of the step after its own). */
  expiresAt: Date;
}

/**
 * Issues and checks the rotating check-in codes with the deployment's key (derived from the JWT
 * secret, the same in every app process) and the injectable clock. No state: any process can
 * verify a code another process issued.
 */
@Injectable()
export class CheckinCodes {
  private readonly key: Buffer;

  constructor(
    config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.key = deriveCheckinKey(config.jwtSecret);
  }

  issue(sessionId: number): IssuedCode {
    const step = checkinStep(this.clock.now());
    return {
      code: checkinCode(this.key, sessionId, step),
      refreshAt: new Date((step + 1) * CHECKIN_STEP_MS),
      expiresAt: new Date((step + 2) * CHECKIN_STEP_MS),
    };
  }

  verify(sessionId: number, code: unknown): boolean {
    return verifyCheckinCode(this.key, sessionId, code, this.clock.now());
  }
}
