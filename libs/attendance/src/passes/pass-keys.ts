import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { AppConfig, Clock } from '@shipei/core';
import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { CheckinPassKey } from './pass-key.entity';

export interface PassKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** SPKI PEM, served to the scanner. */
  publicPem: string;
}

/**
 * The pass-signing key: CHECKIN_PASS_PRIVATE_KEY when configured, else the one stored in the
 * database (created on first use; `INSERT … IGNORE` on its fixed id makes concurrent first uses
 * in several processes agree on one). Loaded once per process.
 */
@Injectable()
export class PassKeys {
  private pair?: Promise<PassKeyPair>;

  constructor(
    private readonly config: AppConfig,
    @InjectEntityManager() private readonly em: EntityManager,
    private readonly clock: Clock,
  ) {}

  get(): Promise<PassKeyPair> {
    this.pair ??= this.load().catch((e) => {
      this.pair = undefined; // a database hiccup at first use is retried on the next call
      throw e;
    });
    return this.pair;
  }

  private async load(): Promise<PassKeyPair> {
    if (this.config.checkinPassPrivateKey) return fromPrivate(createPrivateKey(this.config.checkinPassPrivateKey));
    let row = await this.em.findOneBy(CheckinPassKey, { id: 1 });
    if (!row) {
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      await this.em
        .createQueryBuilder()
        .insert()
        .into(CheckinPassKey)
        .values({
          id: 1,
          privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
          publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
          createdAt: this.clock.now(),
        })
        .orIgnore()
        .execute();
      row = await this.em.findOneByOrFail(CheckinPassKey, { id: 1 });
    }
    return fromPrivate(createPrivateKey(row.privateKey));
  }
}

function fromPrivate(privateKey: KeyObject): PassKeyPair {
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}
