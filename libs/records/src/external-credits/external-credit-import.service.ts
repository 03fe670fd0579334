import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { AuditService } from '@shipei/audit';
import { AccessPolicy, Actor, AppConfig, BadInputError, Clock, shanghaiDate, TransactionRunner } from '@shipei/core';
import { addCredits, CreditDelta, Teacher, TEACHER_KIND } from '@shipei/people';
import { EntityManager, In } from 'typeorm';
import { RecordsErrors } from '../records.errors';
import { chunks } from '../shared/files';
import { ExternalCreditImportResultDto } from './dto/external-credit.dto';
import { ExternalCredit } from './external-credit.entity';
import { CREDIT_COLUMNS, CREDIT_LABEL, CreditRow, readCreditSheet, RowError } from './external-credit-sheet';

const COLUMN_ORDER = CREDIT_COLUMNS.map((c) => c.label);
const sameText = (a: string | null, b: string | null) => (a ?? null) === (b ?? null);
/** The calendar year a credit dated 'YYYY-MM-DD' counts in. */
const yearOf = (date: string) => Number(date.slice(0, 4));

/**
 * 校外学时导入 (spec §8): credits earned in training outside the system, from the office's .xlsx
 * (身份证号, 培训项目名称, 主办单位, 学时, 培训日期, 证书编号), marked as external. All-or-nothing:
 * every row is checked (including that the teacher exists and is the importer's — a county imports
 * only its own teachers) and any error rejects the whole sheet with the row, column and a Chinese
 * reason. Importing the same rows again updates them instead of counting them twice (unique
 * teacher + dedupe key, see {@link ExternalCredit}).
 */
@Injectable()
export class ExternalCreditImportService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly access: AccessPolicy,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async import(actor: Actor, source: Readable): Promise<ExternalCreditImportResultDto> {
    const sheet = await readCreditSheet(source, shanghaiDate(this.clock.now()));
    return this.tx.run(async (em) => {
      const teachers = await this.teachersOf(em, actor, sheet.rows);
      const errors = [...sheet.errors, ...this.check(sheet.rows, teachers)];
      if (errors.length) {
        errors.sort((a, b) => a.row - b.row || COLUMN_ORDER.indexOf(a.column) - COLUMN_ORDER.indexOf(b.column));
        const rows = new Set(errors.map((e) => e.row)).size;
        throw new BadInputError(
          'IMPORT_INVALID',
          `导入失败：${rows} 行数据有误，未导入任何数据。请按提示修改后重新导入。`,
          { errors },
        );
      }
      const result = await this.write(em, actor, sheet.rows, teachers);
      await this.audit.record(em, actor, {
        action: 'import',
        entity: 'external_credit',
        note: `created ${result.created}, updated ${result.updated}, unchanged ${result.unchanged}`,
      });
      return result;
    });
  }

  /** The teachers the sheet names that the actor may record credits for (city: all; county: its own). */
  private async teachersOf(
    em: EntityManager,
    actor: Actor,
    rows: CreditRow[],
  ): Promise<Map<string, { id: number; name: string }>> {
    const byIdNumber = new Map<string, { id: number; name: string }>();
    for (const part of chunks([...new Set(rows.map((r) => r.idNumber))])) {
      const found = await this.access
        .query<Teacher>(em, actor, TEACHER_KIND, 't', 'write')
        .select(['t.id', 't.name', 't.idNumber'])
        .andWhere('t.idNumber IN (:...ids)', { ids: part })
        .getMany();
      for (const t of found) byIdNumber.set(t.idNumber, { id: t.id, name: t.name });
    }
    return byIdNumber;
  }

  private check(rows: CreditRow[], teachers: Map<string, { id: number; name: string }>): RowError[] {
    const errors: RowError[] = [];
    const first = new Map<string, number>();
    for (const r of rows) {
      const t = teachers.get(r.idNumber);
      if (!t) {
        errors.push({
          row: r.row,
          column: CREDIT_LABEL.idNumber,
          message: '系统中没有该身份证号的教师，或该教师不属于本县区（请先登记教师）',
        });
        continue;
      }
      if (r.name !== undefined && r.name.replace(/\s+/g, '') !== t.name.replace(/\s+/g, '')) {
        errors.push({
          row: r.row,
          column: CREDIT_LABEL.name,
          message: `姓名与该身份证号登记的教师姓名「${t.name}」不一致`,
        });
      }
      const key = `${t.id}:${r.dedupeKey}`;
      const earlier = first.get(key);
      if (earlier !== undefined) {
        const what = r.certificateNumber ? `证书编号 ${r.certificateNumber}` : `${r.programName}（${r.date}）`;
        errors.push({
          row: r.row,
          column: r.certificateNumber ? CREDIT_LABEL.certificateNumber : CREDIT_LABEL.programName,
          message: `与第 ${earlier} 行是同一教师的同一培训（${what}），请删除重复行`,
        });
      } else first.set(key, r.row);
    }
    return errors;
  }

  private async write(
    em: EntityManager,
    actor: Actor,
    rows: CreditRow[],
    teachers: Map<string, { id: number; name: string }>,
  ): Promise<ExternalCreditImportResultDto> {
    const now = this.clock.now();
    const wanted = rows.map((r) => ({ ...r, teacherId: teachers.get(r.idNumber)!.id }));
    const existing = new Map<string, ExternalCredit>();
    for (const part of chunks([...new Set(wanted.map((r) => r.teacherId))])) {
      const found = await em.find(ExternalCredit, { where: { teacherId: In(part) } });
      for (const x of found) existing.set(`${x.teacherId}:${x.dedupeKey}`, x);
    }
    let updated = 0;
    let unchanged = 0;
    const fresh: Partial<ExternalCredit>[] = [];
    const credits: CreditDelta[] = [];
    for (const r of wanted) {
      const old = existing.get(`${r.teacherId}:${r.dedupeKey}`);
      const fields = {
        programName: r.programName,
        organiser: r.organiser,
        hours: r.hours,
        creditDate: r.date,
        certificateNumber: r.certificateNumber,
      };
      if (!old) {
        credits.push({ teacherId: r.teacherId, year: yearOf(r.date), hours: r.hours });
        fresh.push({
          teacherId: r.teacherId,
          dedupeKey: r.dedupeKey,
          ...fields,
          importedById: actor.userId || null,
          createdAt: now,
          updatedAt: now,
        });
        continue;
      }
      const same =
        sameText(old.programName, fields.programName) &&
        sameText(old.organiser, fields.organiser) &&
        Number(old.hours) === fields.hours &&
        sameText(old.creditDate, fields.creditDate) &&
        sameText(old.certificateNumber, fields.certificateNumber);
      if (same) unchanged++;
      else {
        const recounted = Number(old.hours) !== fields.hours || old.creditDate !== fields.creditDate;
        // When the hours or date change, only from what was read: the difference added to
        // credit_year is from those, so a concurrent import that changed them first makes this a 409.
        const res = await em.update(
          ExternalCredit,
          recounted ? { id: old.id, hours: old.hours, creditDate: old.creditDate } : { id: old.id },
          { ...fields, importedById: actor.userId || null, updatedAt: now },
        );
        if (recounted && res.affected !== 1) throw RecordsErrors.creditsChanged();
        if (recounted)
          credits.push(
            { teacherId: old.teacherId, year: yearOf(old.creditDate), hours: -Number(old.hours) },
            { teacherId: old.teacherId, year: yearOf(fields.creditDate), hours: fields.hours },
          );
        updated++;
      }
    }
    for (const part of chunks(fresh)) await em.insert(ExternalCredit, part);
    await addCredits(em, credits, this.config.creditCycleStartYear);
    return { created: fresh.length, updated, unchanged };
  }
}
