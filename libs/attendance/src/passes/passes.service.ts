import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { Actor, TransactionRunner } from '@shipei/core';
import { Enrolment, EnrolmentDto, EnrolmentErrors, EnrolmentsService } from '@shipei/enrolment';
import { Cohort } from '@shipei/programs';
import QRCode from 'qrcode';
import { EntityManager } from 'typeorm';
import { AttendanceAccess } from '../attendance.access';
import { CheckinPassDto, PassPublicKeyDto } from '../dto/pass.dto';
import { ASSIGNED_STATUSES } from '../statuses';
import { PassKeys } from './pass-keys';
import { signPass } from './pass-token';

/** A pass is good until the end of its cohort's last day (Asia/Shanghai). */
export function passExpiry(cohortEndDate: string): Date {
  return new Date(new Date(`${cohortEndDate}T00:00:00+08:00`).getTime() + 24 * 3600_000);
}

export function passQrSvg(token: string): Promise<string> {
  return QRCode.toString(token, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

/** Personal check-in passes (spec §14) and the on-site 报到 of trainees who never logged in. */
@Injectable()
export class PassesService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly gate: AttendanceAccess,
    private readonly keys: PassKeys,
    private readonly enrolments: EnrolmentsService,
    @InjectEntityManager() private readonly em: EntityManager,
  ) {}

  /** The pass of one enrolment, for its teacher or who runs its cohort. */
  async pass(actor: Actor, enrolmentId: number): Promise<CheckinPassDto> {
    const e = await this.gate.passHolder(this.em, actor, enrolmentId);
    const [pass] = await this.passes(this.em, [e]);
    return pass;
  }

  /** Passes of enrolments already read (assigned ones only: ASSIGNED_STATUSES) under an access check (the roster sheet signs a whole cohort). */
  async passes(em: EntityManager, rows: Enrolment[]): Promise<CheckinPassDto[]> {
    const { privateKey } = await this.keys.get();
    const ends = new Map<number, string>();
    const out: CheckinPassDto[] = [];
    for (const e of rows) {
      if (e.cohortId === null || !ASSIGNED_STATUSES.includes(e.status)) throw EnrolmentErrors.notAssigned();
      if (!ends.has(e.cohortId)) ends.set(e.cohortId, (await em.findOneByOrFail(Cohort, { id: e.cohortId })).endDate);
      const expiresAt = passExpiry(ends.get(e.cohortId)!);
      const token = signPass(privateKey, { enrolmentId: e.id, cohortId: e.cohortId, expiresAt });
      out.push({
        enrolmentId: e.id,
        cohortId: e.cohortId,
        token,
        expiresAt: expiresAt.toISOString(),
        qrSvg: await passQrSvg(token),
      });
    }
    return out;
  }

  async publicKey(): Promise<PassPublicKeyDto> {
    const { publicKey, publicPem } = await this.keys.get();
    const jwk = publicKey.export({ format: 'jwk' }) as { kty: string; crv: string; x: string };
    return {
      algorithm: 'Ed25519',
      publicKeyPem: publicPem,
      jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x },
      format: 'P1.base64url(1 ‖ enrolmentId u32be ‖ cohortId u32be ‖ expiresAt unix-seconds u32be ‖ Ed25519 signature)',
    };
  }

  /** 现场报到 by the cohort's trainers or owner: APPROVED → CONFIRMED, audited (spec §14). */
  async confirmOnSite(actor: Actor, enrolmentId: number): Promise<EnrolmentDto> {
    return this.tx.run(async (em) => {
      const e = await this.gate.managedEnrolment(em, actor, enrolmentId);
      return this.enrolments.confirmOnSite(em, actor, e);
    });
  }
}
