import { Readable } from 'node:stream';
import { itemsOf, ScoreLine, scoreLines, scoreSummary } from '@shipei/attendance';
import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { AccessPolicy, Actor, keysetRows, shanghaiDate, streamXlsx, TableCell } from '@shipei/core';
import { maskIdNumber, Organisation, Teacher } from '@shipei/people';
import { Cohort, Program, PROGRAM_KIND } from '@shipei/programs';
import { EntityManager } from 'typeorm';
import { byId } from '../by-id';
import { Certificate, CERTIFICATE_STATUS_LABELS } from '../certificate.entity';
import { CERTIFICATE_KIND } from '../certificates.access';
import { SheetColumn } from './xlsx';

/** An .xlsx written while it is read (see streamXlsx). */
export interface XlsxFile {
  filename: string;
  stream: Readable;
}

/**
 * Certificates read per query (keyset on the program's sequence, then id).
 * Small on purpose: rows of a batch that live through two young-generation collections are moved to
 * V8's old space, and V8 then allocates such rows there from the start ("pretenuring"), where they
 * are freed only by a full collection: with 1,000 a 100,000-row export grew the heap by 200 MB of
 * garbage, with 200 by 8 MB (bench/exports.bench.ts).
 */
export const REGISTER_BATCH = 200;

const shanghaiDay = (d: Date | null) => (d ? shanghaiDate(d) : '');

/** What a batch of certificates refers to: names looked up once per export, 身份证号 per batch. */
interface Lookups {
  teachers: Map<number, Teacher>;
  orgs: Map<number, Organisation>;
  cohorts: Map<number, Cohort>;
  /** The batch's 考核 scores by enrolment, when the register asked for them. */
  scores: Map<number, ScoreLine[]>;
}

/**
 * The office's spreadsheets of a program's certificates (spec §8): the certificate register
 * (证书登记册, every certificate with its status) and the credit-hour registration list (学分登记,
 * valid certificates only) for the provincial credit system. 身份证号 are always masked. The rows
 * are those the caller may read: the whole program for its owner, a county's own teachers otherwise.
 */
@Injectable()
export class CertificateRegisters {
  constructor(
    @InjectEntityManager() private readonly em: EntityManager,
    private readonly access: AccessPolicy,
  ) {}

  async register(actor: Actor, programId: number): Promise<XlsxFile> {
    const program = await this.access.load<Program>(this.em, actor, PROGRAM_KIND, programId);
    const columns: SheetColumn[] = [
      { header: '序号', width: 6, kind: 'number' },
      { header: '证书编号', width: 18, kind: 'text' },
      { header: '姓名', width: 12, kind: 'text' },
      { header: '身份证号', width: 22, kind: 'text' },
      { header: '所在县区', width: 14, kind: 'text' },
      { header: '工作单位', width: 28, kind: 'text' },
      { header: '班级', width: 14, kind: 'text' },
      { header: '培训开始日期', width: 13, kind: 'text' },
      { header: '培训结束日期', width: 13, kind: 'text' },
      { header: '学时', width: 8, kind: 'number' },
      { header: '发证单位', width: 20, kind: 'text' },
      { header: '发证日期', width: 12, kind: 'text' },
      { header: '状态', width: 8, kind: 'text' },
      { header: '撤销日期', width: 12, kind: 'text' },
      { header: '撤销原因', width: 30, kind: 'text' },
    ];
    // A program with 考核 items: each holder's scores, as recorded (a valid certificate freezes them).
    const assessed = (await itemsOf(this.em, program.id)).length > 0;
    if (assessed) columns.splice(10, 0, { header: '考核成绩', width: 30, kind: 'text' });
    const date = new DataDate();
    const rows = this.rows(actor, programId, false, date, assessed, (c, i, { teachers, orgs, cohorts, scores }) => [
      i,
      c.number,
      c.holderName,
      maskIdNumber(teachers.get(c.teacherId)?.idNumber),
      orgs.get(c.countyId)?.name ?? '',
      c.schoolName,
      (c.cohortId && cohorts.get(c.cohortId)?.name) || '',
      c.startDate,
      c.endDate,
      Number(c.creditHours),
      ...(assessed ? [scoreSummary(c.enrolmentId ? scores.get(c.enrolmentId) : undefined)] : []),
      c.issuer,
      c.issueDate,
      CERTIFICATE_STATUS_LABELS[c.status],
      shanghaiDay(c.revokedAt),
      c.revokeReason ?? '',
    ]);
    const stream = streamXlsx({ name: '证书登记册', columns }, rows, {
      title: `${program.title} 证书登记册`,
      date: () => date.value(),
      label: 'Certificate register',
    });
    return { filename: `${program.title}-证书登记册.xlsx`, stream };
  }

  async creditHours(actor: Actor, programId: number): Promise<XlsxFile> {
    const program = await this.access.load<Program>(this.em, actor, PROGRAM_KIND, programId);
    const columns: SheetColumn[] = [
      { header: '序号', width: 6, kind: 'number' },
      { header: '姓名', width: 12, kind: 'text' },
      { header: '身份证号', width: 22, kind: 'text' },
      { header: '所在县区', width: 14, kind: 'text' },
      { header: '工作单位', width: 28, kind: 'text' },
      { header: '培训项目', width: 36, kind: 'text' },
      { header: '培训开始日期', width: 13, kind: 'text' },
      { header: '培训结束日期', width: 13, kind: 'text' },
      { header: '学时', width: 8, kind: 'number' },
      { header: '证书编号', width: 18, kind: 'text' },
    ];
    const date = new DataDate();
    const rows = this.rows(actor, programId, true, date, false, (c, i, { teachers, orgs }) => [
      i,
      c.holderName,
      maskIdNumber(teachers.get(c.teacherId)?.idNumber),
      orgs.get(c.countyId)?.name ?? '',
      c.schoolName,
      c.programTitle,
      c.startDate,
      c.endDate,
      Number(c.creditHours),
      c.number,
    ]);
    const stream = streamXlsx({ name: '学分登记', columns }, rows, {
      title: `${program.title} 学分登记表`,
      date: () => date.value(),
      label: 'Credit-hours list',
    });
    return { filename: `${program.title}-学分登记表.xlsx`, stream };
  }

  /**
   * The program's certificates the actor may read, in sequence order, as sheet rows: read
   * {@link REGISTER_BATCH} at a time by keyset on (sequence, id), so a register of any size is
   * held one batch at a time. `row` gets the certificate, its 序号 (from 1) and the lookups.
   */
  private rows(
    actor: Actor,
    programId: number,
    validOnly: boolean,
    date: DataDate,
    withScores: boolean,
    row: (c: Certificate, n: number, lookups: Lookups) => TableCell[],
  ): AsyncIterable<TableCell[]> {
    const orgs = new Map<number, Organisation>();
    const cohorts = new Map<number, Cohort>();
    let n = 0;
    return keysetRows(
      REGISTER_BATCH,
      (after: Certificate | undefined) => {
        const qb = this.access
          .query<Certificate>(this.em, actor, CERTIFICATE_KIND, 'c')
          .andWhere('c.programId = :programId', { programId });
        if (validOnly) qb.andWhere('c.status = :valid', { valid: 'VALID' });
        // (sequence, id) after the last row; the `>=` alone is the range an index on
        // (programId, sequence) answers, the rest only sorts out the last sequence's ties.
        if (after)
          qb.andWhere('c.sequence >= :seq AND (c.sequence > :seq OR c.id > :afterId)', {
            seq: after.sequence,
            afterId: after.id,
          });
        return qb.orderBy('c.sequence', 'ASC').addOrderBy('c.id', 'ASC').limit(REGISTER_BATCH).getMany();
      },
      async (batch) => {
        const teachers = await byId(
          this.em,
          Teacher,
          batch.map((c) => c.teacherId),
          { id: true, idNumber: true },
        );
        await this.addMissing(
          orgs,
          Organisation,
          batch.map((c) => c.countyId),
        );
        await this.addMissing(
          cohorts,
          Cohort,
          batch.map((c) => c.cohortId ?? 0),
        );
        const scores = withScores
          ? await scoreLines(
              this.em,
              batch.flatMap((c) => (c.enrolmentId ? [c.enrolmentId] : [])),
            )
          : new Map<number, ScoreLine[]>();
        return batch.map((c) => {
          date.see(c);
          return row(c, ++n, { teachers, orgs, cohorts, scores });
        });
      },
    );
  }

  /** Adds the names of the ids not yet in `known` (a program has few counties and cohorts). */
  private async addMissing<T extends { id: number; name: string }>(
    known: Map<number, T>,
    entity: new () => T,
    ids: number[],
  ): Promise<void> {
    const missing = ids.filter((id) => id > 0 && !known.has(id));
    if (!missing.length) return;
    for (const [id, v] of await byId(this.em, entity, missing, { id: true, name: true })) known.set(id, v);
  }
}

/** The latest change among the rows seen (or a fixed date for an empty list), so the same data gives the same file. */
class DataDate {
  private latest = 0;
  private seen = false;

  see(c: Certificate): void {
    this.seen = true;
    this.latest = Math.max(this.latest, c.issuedAt.getTime(), c.revokedAt?.getTime() ?? 0);
  }

  value(): Date {
    return new Date(this.seen ? this.latest : Date.UTC(2019, 0, 1));
  }
}
