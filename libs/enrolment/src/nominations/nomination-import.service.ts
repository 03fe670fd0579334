import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { Actor, BadInputError, TransactionRunner } from '@shipei/core';
import { Organisation, Teacher } from '@shipei/people';
import { eligibilityProblems } from '@shipei/programs';
import { In } from 'typeorm';
import { ImportResultDto } from '../dto/enrolment.dto';
import { Enrolment, ENROLMENT_STATUS_LABELS } from '../enrolment.entity';
import { EnrolmentsService } from '../enrolments.service';
import { readNominationSheet, RowError } from './nomination-sheet';

const CHUNK = 400;
const chunks = <T>(xs: T[]): T[][] =>
  Array.from({ length: Math.ceil(xs.length / CHUNK) }, (_, i) => xs.slice(i * CHUNK, i * CHUNK + CHUNK));

/**
 * Bulk nomination from an .xlsx list (spec §4): all or nothing. Every row is checked first
 * (a teacher of the county, eligible, not yet enrolled, not twice in the file); any problem
 * refuses the whole file with 400 `{errors:[{row, column, message}]}`. Then the rows are
 * entered in file order in one transaction: within quota NOMINATED, beyond it WAITLISTED.
 */
@Injectable()
export class NominationImportService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly enrolments: EnrolmentsService,
  ) {}

  async import(actor: Actor, programId: number, source: Readable): Promise<ImportResultDto> {
    const sheet = await readNominationSheet(source);
    return this.tx.run(async (em) => {
      const program = await this.enrolments.openProgram(em, actor, programId);
      const errors: RowError[] = [...sheet.errors];
      const countyId = actor.countyId!;
      const byId = new Map<string, Teacher>();
      const byPhone = new Map<string, Teacher>();
      const ids = sheet.rows.filter((r) => r.idNumber).map((r) => r.idNumber!);
      const phones = sheet.rows.filter((r) => r.phone).map((r) => r.phone!);
      for (const part of chunks(ids))
        for (const t of await em.find(Teacher, { where: { idNumber: In(part), countyId } })) byId.set(t.idNumber, t);
      for (const part of chunks(phones))
        for (const t of await em.find(Teacher, { where: { phone: In(part), countyId } })) byPhone.set(t.phone, t);
      const teachers = [...byId.values(), ...byPhone.values()];
      const schools = new Map<number, Organisation>();
      for (const part of chunks([...new Set(teachers.map((t) => t.schoolId))]))
        for (const s of await em.find(Organisation, { where: { id: In(part) } })) schools.set(s.id, s);
      const enrolled = new Map<number, Enrolment>();
      for (const part of chunks(teachers.map((t) => t.id)))
        for (const e of await em.find(Enrolment, { where: { programId, teacherId: In(part) } }))
          enrolled.set(e.teacherId, e);

      const accepted: Teacher[] = [];
      const seenTeacher = new Map<number, number>();
      for (const r of sheet.rows) {
        const t = r.idNumber ? byId.get(r.idNumber) : byPhone.get(r.phone!);
        if (!t) {
          errors.push({ row: r.row, column: r.column, message: `本县区没有${r.column}为该值的教师，请先登记教师` });
          continue;
        }
        const dup = seenTeacher.get(t.id);
        if (dup) {
          errors.push({ row: r.row, column: r.column, message: `与第 ${dup} 行是同一位教师` });
          continue;
        }
        seenTeacher.set(t.id, r.row);
        const e = enrolled.get(t.id);
        if (e) {
          errors.push({
            row: r.row,
            column: r.column,
            message: `${t.name}已报名本项目（${ENROLMENT_STATUS_LABELS[e.status]}）`,
          });
          continue;
        }
        const problems = eligibilityProblems(program, t, schools.get(t.schoolId) ?? { povertyVillage: false });
        if (problems.length) {
          errors.push({ row: r.row, column: r.column, message: `${t.name}不符合报名条件：${problems.join('；')}` });
          continue;
        }
        accepted.push(t);
      }
      if (errors.length) {
        errors.sort((a, b) => a.row - b.row);
        throw new BadInputError('IMPORT_INVALID', `名单有 ${errors.length} 处错误，未推荐任何人，请修改后重新导入`, {
          errors,
        });
      }
      const result: ImportResultDto = { nominated: 0, waitlisted: 0, enrolmentIds: [] };
      for (const t of accepted) {
        const e = await this.enrolments.enter(em, actor, program, t);
        result.enrolmentIds.push(e.id);
        if (e.status === 'NOMINATED') result.nominated++;
        else result.waitlisted++;
      }
      return result;
    });
  }
}
