import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig, Clock, dbDate, shanghaiDate, shanghaiTime, sqlDatetime, TransactionRunner } from '@shipei/core';
import { EntityManager } from 'typeorm';
import { cnDate, cnDateTime, Message, Recipient, short } from '../messages/message';
import { countyRecipients, teacherRecipient, trainerRecipients, userRecipients } from '../messages/recipients';
import { Outbox, recipientKey } from '../outbox/outbox';

const DAY_MS = 86_400_000;
/** Sessions of tomorrow are announced from this Beijing time on (until midnight). */
export const SESSION_REMINDER_AT = '18:00';
/** A county is reminded when its program's nomination deadline is this close and its seats are unfilled. */
export const DEADLINE_REMINDER_DAYS = 3;
/** Deadlines passed longer ago than this, and older leave requests, are not reminded of (a first start on an old database stays quiet). */
const LOOK_BACK_DAYS = 7;

export const ReminderTypes = {
  SESSION_TOMORROW: 'reminder.session-tomorrow',
  NOMINATION_DEADLINE: 'reminder.nomination-deadline',
  LEAVE_WAITING: 'reminder.leave-waiting',
  QUOTA_UNFILLED: 'reminder.quota-unfilled',
} as const;

/** What one tick wrote: messages per reminder type. */
export type TickResult = Record<(typeof ReminderTypes)[keyof typeof ReminderTypes], number>;

interface SessionRow {
  id: number;
  cohortId: number;
  title: string;
  startsAt: Date | string;
  room: string | null;
}

/**
 * Reminders on a schedule (spec §13): a session tomorrow (from 18:00 Beijing time the day before,
 * to the cohort's assigned and confirmed trainees), a county's nomination deadline three days
 * ahead with seats unfilled, a leave request still waiting for a trainer after
 * REMINDER_LEAVE_HOURS, and the office told of quotas unfilled once the deadline has passed.
 *
 * Every process ticks (REMINDER_INTERVAL_SECONDS); nothing here remembers what was sent. Each
 * reminder has its own key (`reminder:session-tomorrow:<cohortId>:<date>` …) and the outbox's
 * unique (recipient, dedupeKey) makes the database accept it once per person: two processes that
 * tick at the same moment both try, one insert wins, the other writes nothing (and no delivery).
 * Someone who joins later (a trainee assigned at 20:00) is reminded at the next tick. Rules read
 * the Clock, so tests move time instead of waiting for it.
 */
@Injectable()
export class Reminders implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Reminders');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    private readonly tx: TransactionRunner,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.reminderIntervalMs > 0)
      this.timer = setInterval(() => {
        if (this.running || this.stopped) return;
        this.running = this.tick()
          .catch((e) => this.logger.error(`reminders: ${e instanceof Error ? e.message : String(e)}`))
          .finally(() => (this.running = null));
      }, this.config.reminderIntervalMs).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Writes every reminder due now that was not written before; returns how many messages it wrote. */
  async tick(): Promise<TickResult> {
    const now = this.clock.now();
    return {
      [ReminderTypes.SESSION_TOMORROW]: await this.guarded('session-tomorrow', () => this.sessionsTomorrow(now)),
      [ReminderTypes.NOMINATION_DEADLINE]: await this.guarded('deadline', () => this.deadlines(now)),
      [ReminderTypes.LEAVE_WAITING]: await this.guarded('leave', () => this.leaveWaiting(now)),
      [ReminderTypes.QUOTA_UNFILLED]: await this.guarded('quota', () => this.quotasUnfilled(now)),
    };
  }

  /** One kind failing (a bad row, a deadlock) leaves the others to run, and itself to the next tick. */
  private async guarded(name: string, run: () => Promise<number>): Promise<number> {
    try {
      return await run();
    } catch (e) {
      this.logger.error(`reminder ${name}: ${e instanceof Error ? e.message : String(e)}`);
      return 0;
    }
  }

  /**
   * Writes one reminder in its own short transaction, to those who do not have it yet (an indexed
   * look-up by key first, so a reminder already written costs one read per tick, not an insert per
   * person). The outbox's unique key still decides when two processes race.
   */
  private async send(compose: (em: EntityManager) => Promise<Message | null>): Promise<number> {
    return this.tx.run(async (em) => {
      const m = await compose(em);
      if (!m || !m.recipients.length) return 0;
      const had = new Set(
        (await em.query('SELECT recipientKey FROM notification WHERE dedupeKey = ?', [m.dedupeKey])).map(
          (r: { recipientKey: string }) => r.recipientKey,
        ),
      );
      const recipients = m.recipients.filter((r) => !had.has(recipientKey(r)));
      return recipients.length ? this.outbox.write(em, [{ ...m, recipients }]) : 0;
    });
  }

  private async sessionsTomorrow(now: Date): Promise<number> {
    if (shanghaiTime(now) < SESSION_REMINDER_AT) return 0;
    const day = shanghaiDate(new Date(now.getTime() + DAY_MS));
    const from = new Date(`${day}T00:00:00+08:00`);
    const sessions: SessionRow[] = await this.tx.read((em) =>
      em.query(
        'SELECT id, cohortId, title, startsAt, room FROM training_session WHERE startsAt >= ? AND startsAt < ? ORDER BY cohortId, startsAt, id',
        [sqlDatetime(em, from), sqlDatetime(em, new Date(from.getTime() + DAY_MS))],
      ),
    );
    const byCohort = new Map<number, SessionRow[]>();
    for (const s of sessions) byCohort.set(Number(s.cohortId), [...(byCohort.get(Number(s.cohortId)) ?? []), s]);
    let written = 0;
    for (const [cohortId, list] of byCohort)
      written += await this.send(async (em) => {
        const [c] = await em.query(
          'SELECT c.name, c.venue, p.title FROM cohort c JOIN program p ON p.id = c.programId WHERE c.id = ?',
          [cohortId],
        );
        if (!c) return null;
        const trainees: { teacherId: number }[] = await em.query(
          "SELECT teacherId FROM enrolment WHERE cohortId = ? AND status IN ('APPROVED', 'CONFIRMED') ORDER BY id",
          [cohortId],
        );
        const recipients: Recipient[] = [];
        for (const t of trainees) {
          const r = await teacherRecipient(em, Number(t.teacherId));
          if (r) recipients.push(r);
        }
        const first = list[0];
        const at = cnDateTime(dbDate(first.startsAt));
        const place = [c.venue, first.room].filter(Boolean).join(' ') || '另行通知';
        const more = list.length > 1 ? `等${list.length}节课程` : '';
        return {
          type: ReminderTypes.SESSION_TOMORROW,
          dedupeKey: `reminder:session-tomorrow:${cohortId}:${day}`,
          title: `明天有课：「${c.title}」${c.name}`,
          body:
            `提醒：您参加的「${c.title}」${c.name}明天（${cnDate(day)}）有课程：${at}「${first.title}」${more}，` +
            `地点：${place}。请按时到达并扫码签到；不能参加的请提前请假。`,
          link: '/app/me',
          smsParams: { program: short(c.title), cohort: short(c.name), time: at, venue: short(place) },
          recipients,
        };
      });
    return written;
  }

  private async deadlines(now: Date): Promise<number> {
    const rows: { programId: number; countyId: number; seats: number; nominated: number }[] = await this.tx.read((em) =>
      em.query(
        "SELECT p.id AS programId, q.countyId, q.seats, q.nominatedCount AS nominated FROM program p JOIN county_quota q ON q.programId = p.id WHERE p.status = 'OPEN' AND p.nominationDeadline > ? AND p.nominationDeadline <= ? AND q.seats > q.nominatedCount ORDER BY p.id, q.countyId",
        [sqlDatetime(em, now), sqlDatetime(em, new Date(now.getTime() + DEADLINE_REMINDER_DAYS * DAY_MS))],
      ),
    );
    let written = 0;
    for (const q of rows)
      written += await this.send(async (em) => {
        const [p] = await em.query('SELECT title, nominationDeadline FROM program WHERE id = ?', [q.programId]);
        const left = Number(q.seats) - Number(q.nominated);
        return {
          type: ReminderTypes.NOMINATION_DEADLINE,
          dedupeKey: `reminder:nomination-deadline:${q.programId}:${q.countyId}`,
          title: `「${p.title}」推荐即将截止`,
          body:
            `「${p.title}」推荐将于${cnDateTime(dbDate(p.nominationDeadline))}截止，` +
            `贵县区名额${q.seats}人，已推荐${q.nominated}人，还有${left}个名额未推荐。请在截止前完成推荐。`,
          link: `/app/programs/${q.programId}/nominate`,
          smsParams: {
            program: short(p.title),
            left: String(left),
            deadline: cnDateTime(dbDate(p.nominationDeadline)),
          },
          recipients: await countyRecipients(em, Number(q.countyId)),
        };
      });
    return written;
  }

  private async leaveWaiting(now: Date): Promise<number> {
    const before = new Date(now.getTime() - this.config.reminderLeaveHours * 3600_000);
    const rows: { id: number; cohortId: number; teacherId: number; createdAt: Date | string }[] = await this.tx.read(
      (em) =>
        em.query(
          "SELECT id, cohortId, teacherId, createdAt FROM leave_request WHERE status = 'PENDING' AND createdAt <= ? AND createdAt > ? ORDER BY id",
          [sqlDatetime(em, before), sqlDatetime(em, new Date(before.getTime() - LOOK_BACK_DAYS * DAY_MS))],
        ),
    );
    let written = 0;
    for (const l of rows)
      written += await this.send(async (em) => {
        const [c] = await em.query('SELECT name FROM cohort WHERE id = ?', [l.cohortId]);
        const [t] = await em.query('SELECT name FROM teacher WHERE id = ?', [l.teacherId]);
        return {
          type: ReminderTypes.LEAVE_WAITING,
          dedupeKey: `reminder:leave-waiting:${l.id}`,
          title: `${c?.name ?? ''}有请假申请待审批`,
          body:
            `${c?.name ?? ''}学员${t?.name ?? ''}于${cnDateTime(dbDate(l.createdAt))}提交的请假申请` +
            `已等待超过${this.config.reminderLeaveHours}小时，请尽快审批。`,
          link: '/app/trainer/leave',
          smsParams: { cohort: short(c?.name ?? ''), hours: String(this.config.reminderLeaveHours) },
          recipients: await trainerRecipients(em, Number(l.cohortId)),
        };
      });
    return written;
  }

  private async quotasUnfilled(now: Date): Promise<number> {
    const rows: { programId: number; county: string; seats: number; nominated: number }[] = await this.tx.read((em) =>
      em.query(
        "SELECT p.id AS programId, o.name AS county, q.seats, q.nominatedCount AS nominated FROM program p JOIN county_quota q ON q.programId = p.id JOIN organisation o ON o.id = q.countyId WHERE p.status <> 'DRAFT' AND p.nominationDeadline <= ? AND p.nominationDeadline > ? AND q.seats > q.nominatedCount ORDER BY p.id, o.code",
        [sqlDatetime(em, now), sqlDatetime(em, new Date(now.getTime() - LOOK_BACK_DAYS * DAY_MS))],
      ),
    );
    const byProgram = new Map<number, typeof rows>();
    for (const r of rows) byProgram.set(Number(r.programId), [...(byProgram.get(Number(r.programId)) ?? []), r]);
    let written = 0;
    for (const [programId, list] of byProgram)
      written += await this.send(async (em) => {
        const [p] = await em.query('SELECT title FROM program WHERE id = ?', [programId]);
        const office: { id: number }[] = await em.query(
          "SELECT id FROM user_account WHERE role = 'CITY_ADMIN' AND active = ? ORDER BY id",
          [1],
        );
        const left = list.reduce((n, r) => n + Number(r.seats) - Number(r.nominated), 0);
        const counties = list.map((r) => `${r.county}${Number(r.seats) - Number(r.nominated)}人`).join('、');
        return {
          type: ReminderTypes.QUOTA_UNFILLED,
          dedupeKey: `reminder:quota-unfilled:${programId}`,
          title: `「${p.title}」推荐截止，${left}个名额未推荐`,
          body: `「${p.title}」推荐已截止，仍有${left}个名额未推荐：${counties}。可调整名额或延长推荐时间。`,
          link: `/app/programs/${programId}`,
          smsParams: { program: short(p.title), left: String(left) },
          recipients: await userRecipients(
            em,
            office.map((o) => Number(o.id)),
          ),
        };
      });
    return written;
  }
}
