import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Dialect, dialectOf, driverErrorCode } from './dialect';

const RETRYABLE_MYSQL = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);

/**
 * Every write of the application goes through {@link TransactionRunner.run}.
 *
 * Why: TypeORM on better-sqlite3 has one connection shared by every caller, so two
 * concurrent `dataSource.transaction()` calls interleave inside one SQLite transaction
 * (a spike oversold 400 seats by 3×). On SQLite the runner therefore queues write
 * transactions one after another in this process (SQLite allows one writer anyway).
 * On MySQL each transaction has its own pooled connection; the runner retries the
 * whole unit of work on a deadlock, which row locks taken in different orders can cause.
 *
 * Not re-entrant, on purpose: a use case that needs another's work inside its own transaction
 * calls that work's em-taking method (e.g. `EnrolmentsService.enter(em, …)`), never `run` again —
 * on SQLite a nested `run` would wait for itself. An AsyncLocalStorage used to let nested calls
 * join; no call nested (checked over the e2e suites), and in Node 20 the store put async hooks on
 * every promise of the process: a nomination cost 1.8 ms of CPU without it, 2.8–3.3 ms with it.
 */
@Injectable()
export class TransactionRunner {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly dialect: Dialect;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.dialect = dialectOf(dataSource);
  }

  async run<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    if (this.dialect === 'sqlite') return this.serialised(() => this.once(work));
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(work);
      } catch (e) {
        const code = driverErrorCode(e);
        if (attempt >= 5 || !code || !RETRYABLE_MYSQL.has(code)) throw e;
        await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
      }
    }
  }

  /**
   * Reads outside a transaction: runs `work` with the shared manager, no queue, no retry. For callers
   * that hold no manager of their own (the web pages) and call the services' em-taking read methods;
   * they get one here instead of injecting the data source.
   */
  read<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return work(this.dataSource.manager);
  }

  private once<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  private serialised<T>(job: () => Promise<T>): Promise<T> {
    const result = this.queue.then(job, job);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
