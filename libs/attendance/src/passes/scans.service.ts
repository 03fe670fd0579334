import { Injectable } from '@nestjs/common';
import { AuditService } from '@shipei/audit';
import { Actor, Clock, dbDate, shanghaiWhen, TransactionRunner } from '@shipei/core';
import { Enrolment } from '@shipei/enrolment';
import { EntityManager, In } from 'typeorm';
import { AttendanceAccess } from '../attendance.access';
import { checkinStatus, checkinWindow, closedAt } from '../checkin/checkin.service';
import { ScanResultDto, ScansBody, ScanSyncResultDto } from '../dto/pass.dto';
import { AttendanceRecord } from '../records/attendance-record.entity';
import { ATTENDANCE_STATUS_LABELS, AttendanceStatus, ROSTER_STATUSES } from '../statuses';
import { PassKeys } from './pass-keys';
import { readPass } from './pass-token';

/** A scan may carry a time up to this far after its arrival (the phone's clock runs a little ahead). */
export const SCAN_CLOCK_SKEW_MS = 2 * 60_000;

/** Records a scan may replace: derived ABSENT from closing, and a self check-in made later than the scan. */
const REPLACEABLE = (r: AttendanceRecord, at: Date) =>
  r.source === 'CLOSE' ||
  ((r.source === 'SELF' || r.source === 'SCAN') && dbDate(r.checkedInAt).getTime() > at.getTime());

interface Accepted {
  index: number;
  enrolmentId: number;
  at: Date;
  status: AttendanceStatus;
}

/**
 * Scans of personal passes made on the trainer's phone, synced later (spec §14). Each scan is
 * checked again here (signature, cohort, expiry, roster, window) and counts at the time it was
 * made. Idempotent: a scan sent again answers as it did the first time (the record it made is
 * left as it is); a scan that another record outranks answers ALREADY. The unique (session,
 * enrolment) index and conditional updates keep it right with several processes syncing at once.
 */
@Injectable()
export class ScansService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly gate: AttendanceAccess,
    private readonly keys: PassKeys,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async sync(actor: Actor, sessionId: number, body: ScansBody): Promise<ScanSyncResultDto> {
    const { publicKey } = await this.keys.get();
    return this.tx.run(async (em) => {
      const { session, program } = await this.gate.session(em, actor, sessionId);
      const arrival = this.clock.now();
      const window = checkinWindow(session, await closedAt(em, sessionId));
      const results: ScanResultDto[] = body.scans.map((_, index) => ({
        index,
        status: 'REJECTED',
        reason: null,
        enrolmentId: null,
      }));
      const reject = (i: number, reason: string) => {
        results[i].status = 'REJECTED';
        results[i].reason = reason;
      };

      const candidates: Accepted[] = [];
      body.scans.forEach((scan, i) => {
        // Whole seconds: what a DATETIME column keeps on MySQL, so a re-sent scan compares equal.
        const at = new Date(Math.floor(Date.parse(scan.scannedAt) / 1000) * 1000);
        const pass = readPass(publicKey, scan.token);
        if (!pass.ok) return reject(i, pass.reason === 'MALFORMED' ? '不是本平台的签到凭证' : '凭证签名无效');
        results[i].enrolmentId = pass.claims.enrolmentId;
        if (Number.isNaN(at.getTime())) return reject(i, '扫码时间无效');
        if (pass.claims.cohortId !== session.cohortId) return reject(i, '不在本班名单中');
        if (at.getTime() > arrival.getTime() + SCAN_CLOCK_SKEW_MS)
          return reject(i, '扫码时间晚于上传时间，请校准手机时间');
        if (at.getTime() >= pass.claims.expiresAt.getTime()) return reject(i, '凭证已过期');
        if (at.getTime() < window.opensAt.getTime())
          return reject(i, `扫码时签到尚未开始（${shanghaiWhen(window.opensAt, at)} 开放）`);
        if (at.getTime() >= window.closesAt.getTime())
          return reject(i, `扫码时签到已结束（${shanghaiWhen(window.closesAt, at)} 截止）`);
        candidates.push({
          index: i,
          enrolmentId: pass.claims.enrolmentId,
          at,
          status: checkinStatus(at, session.startsAt, program.lateGraceMinutes),
        });
      });

      // One scan per trainee counts: the earliest; later ones of the same batch are ALREADY.
      candidates.sort((a, b) => a.at.getTime() - b.at.getTime() || a.index - b.index);
      const first = new Map<number, Accepted>();
      for (const c of candidates) {
        if (!first.has(c.enrolmentId)) first.set(c.enrolmentId, c);
        else Object.assign(results[c.index], { status: 'ALREADY', reason: '同一学员已扫码' });
      }
      const ids = [...first.keys()];
      const onRoster = await this.onRoster(em, session.cohortId, ids);
      for (const [id, c] of first)
        if (!onRoster.has(id)) {
          reject(c.index, (await this.isApproved(em, id)) ? '尚未报到，请先办理现场报到' : '不在本班名单中');
          first.delete(id);
        }

      const before = await this.records(em, sessionId, [...first.keys()]);
      const inserts = [...first.values()].filter((c) => !before.has(c.enrolmentId));
      if (inserts.length)
        for (let i = 0; i < inserts.length; i += 500)
          await em
            .createQueryBuilder()
            .insert()
            .into(AttendanceRecord)
            .values(
              inserts.slice(i, i + 500).map((c) => ({
                sessionId,
                enrolmentId: c.enrolmentId,
                cohortId: session.cohortId,
                status: c.status,
                source: 'SCAN' as const,
                checkedInAt: c.at,
                reason: null,
                leaveRequestId: null,
                markedById: actor.userId || null,
                createdAt: arrival,
                updatedAt: arrival,
              })),
            )
            .orIgnore()
            .execute();
      const counted: Accepted[] = [];
      for (const c of first.values()) {
        const r = before.get(c.enrolmentId);
        if (!r) {
          counted.push(c);
          continue;
        }
        // This very scan, counted by an earlier sync whose answer was lost (the phone lost the network
        // before reading it): the same answer again, so the phone shows what was counted.
        if (r.source === 'SCAN' && dbDate(r.checkedInAt).getTime() === c.at.getTime()) {
          Object.assign(results[c.index], { status: r.status, reason: null });
          continue;
        }
        // An earlier self check-in (or an earlier scan, or a trainer's mark, or leave) wins.
        if (!REPLACEABLE(r, c.at)) {
          Object.assign(results[c.index], {
            status: 'ALREADY',
            reason: `已有记录：${ATTENDANCE_STATUS_LABELS[r.status]}`,
          });
          continue;
        }
        const res = await em
          .createQueryBuilder()
          .update(AttendanceRecord)
          .set({ status: c.status, source: 'SCAN', checkedInAt: c.at, reason: null, updatedAt: arrival })
          .where("id = :id AND (source = 'CLOSE' OR (source IN ('SELF', 'SCAN') AND checkedInAt > :at))", {
            id: r.id,
            at: c.at,
          })
          .execute();
        if (res.affected) counted.push(c);
        else Object.assign(results[c.index], { status: 'ALREADY', reason: '已有更早的签到记录' });
      }
      // Inserts another process made first (same trainee, same moment) read back as theirs.
      const after = await this.records(
        em,
        sessionId,
        counted.map((c) => c.enrolmentId),
      );
      for (const c of counted) {
        const r = after.get(c.enrolmentId);
        const ours = r && r.source === 'SCAN' && dbDate(r.checkedInAt).getTime() === c.at.getTime();
        Object.assign(
          results[c.index],
          ours ? { status: c.status, reason: null } : { status: 'ALREADY', reason: '已有更早的签到记录' },
        );
      }
      const n = (s: string) => results.filter((r) => r.status === s).length;
      if (counted.length)
        await this.audit.record(em, actor, {
          action: 'scan-sync',
          entity: 'session',
          entityId: sessionId,
          fields: ['attendance'],
          note: `PRESENT×${n('PRESENT')} LATE×${n('LATE')} ALREADY×${n('ALREADY')} REJECTED×${n('REJECTED')}`,
        });
      return { results };
    });
  }

  private async onRoster(em: EntityManager, cohortId: number, ids: number[]): Promise<Set<number>> {
    if (!ids.length) return new Set();
    const rows = await em.find(Enrolment, {
      where: { id: In(ids), cohortId, status: In(ROSTER_STATUSES as string[]) },
      select: { id: true },
    });
    return new Set(rows.map((r) => r.id));
  }

  private async isApproved(em: EntityManager, id: number): Promise<boolean> {
    return !!(await em.findOne(Enrolment, { where: { id, status: 'APPROVED' }, select: { id: true } }));
  }

  private async records(em: EntityManager, sessionId: number, ids: number[]): Promise<Map<number, AttendanceRecord>> {
    if (!ids.length) return new Map();
    const rows = await em.find(AttendanceRecord, { where: { sessionId, enrolmentId: In(ids) } });
    return new Map(rows.map((r) => [r.enrolmentId, r]));
  }
}
