import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig, TransactionRunner } from '@shipei/core';
import { alignCreditCycles } from './credit-ledger';

/**
 * When the app starts: `credit_cycle` summed under the configured CREDIT_CYCLE_START_YEAR (a
 * changed start year realigns it once, from credit_year; see CreditCycle). Replicas starting
 * together may each do it: the result is the same, and it is one statement per replica.
 */
@Injectable()
export class CreditCycleAlignment implements OnApplicationBootstrap {
  private readonly logger = new Logger('CreditCycles');

  constructor(
    private readonly tx: TransactionRunner,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (await this.tx.run((em) => alignCreditCycles(em, this.config.creditCycleStartYear)))
      this.logger.warn(`credit_cycle realigned to cycles from ${this.config.creditCycleStartYear}`);
  }
}
