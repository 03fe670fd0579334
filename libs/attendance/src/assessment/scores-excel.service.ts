import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import {
  Actor,
  addTableSheet,
  BadInputError,
  BLANK_CELL,
  contentDisposition,
  drainUpload,
  ImportColumn,
  invalidSheet,
  newWorkbook,
  RowError,
  SheetCell,
  SheetLayout,
  TransactionRunner,
  walkSheet,
} from '@shipei/core';
import { AttendanceAccess } from '../attendance.access';
import { ScoreInputDto, ScoresResultDto } from '../dto/assessment.dto';
import { cohortRoster } from '../records/roster';
import { AssessmentService } from './assessment.service';
import { AssessmentErrors } from './assessment.errors';
import { AssessmentItem, itemsOf } from './assessment.store';

const MAX_ROWS = 5000;
const ID = '报名编号';
const NAME = '姓名';
type Key = 'enrolmentId' | 'name' | `item${number}`;

/** The header of an item's column: its name and 满分, e.g. 结业考试（满分100）; the bare name is accepted too. */
export const itemHeader = (i: Pick<AssessmentItem, 'name' | 'maxScore'>) => `${i.name}（满分${i.maxScore}）`;

function layout(items: readonly AssessmentItem[]): SheetLayout<Key> {
  const columns: ImportColumn<Key>[] = [
    { key: 'enrolmentId', label: ID, required: true },
    { key: 'name', label: NAME },
    ...items.map((i) => ({ key: `item${i.id}` as Key, label: itemHeader(i), aliases: [i.name] })),
  ];
  return {
    columns,
    isHeader: (found) => found.has('enrolmentId'),
    headerRows: 20,
    maxRows: MAX_ROWS,
    tooMany: `单次最多导入 ${MAX_ROWS} 行成绩`,
    otherSheet: '工作簿中有多个成绩表，请每次只导入一个工作表',
  };
}

interface SheetScore extends ScoreInputDto {
  row: number;
  column: string;
}

/** A whole number from a cell (an Excel number, or its text). */
function wholeNumber(c: SheetCell): number | null {
  const n = c.kind === 'number' ? c.n : c.kind === 'text' && /^\d{1,9}$/.test(c.text) ? Number(c.text) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** A score from a cell: a number ≥ 0 with at most 2 decimals, or a reason. */
function scoreOf(c: SheetCell): number | string {
  const n = c.kind === 'number' ? c.n : c.kind === 'text' && /^\d+(\.\d+)?$/.test(c.text) ? Number(c.text) : NaN;
  if (!Number.isFinite(n)) return '成绩须为数字';
  if (n < 0) return '成绩不能小于 0';
  if (Math.abs(Math.round(n * 100) - n * 100) > 1e-6) return '成绩最多保留 2 位小数';
  return n;
}

/**
 * 成绩导入 (spec §15): one row per trainee (报名编号, 姓名, one column per item), checked as a whole
 * and written all-or-nothing; errors name the Excel row and column in Chinese. A blank score cell
 * leaves that score as it is. The template is the cohort's roster with its current scores.
 */
@Injectable()
export class ScoresExcelService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly gate: AttendanceAccess,
    private readonly assessment: AssessmentService,
  ) {}

  async template(actor: Actor, cohortId: number): Promise<{ content: Buffer; disposition: string }> {
    return this.tx.run(async (em) => {
      const { cohort } = await this.gate.cohort(em, actor, cohortId);
      const view = await this.assessment.scoresView(em, cohort);
      if (!view.items.length) throw AssessmentErrors.noItems();
      const wb = newWorkbook(new Date(Date.UTC(2020, 0, 1)), `${cohort.name}成绩`);
      addTableSheet(
        wb,
        '成绩',
        [
          { header: ID, width: 10, kind: 'number' },
          { header: NAME, width: 12, kind: 'text' },
          { header: '学校', width: 26, kind: 'text' },
          ...view.items.map((i) => ({ header: itemHeader(i), width: 16, numFmt: '0.##' })),
        ],
        view.trainees.map((t) => [t.enrolmentId, t.name, t.school, ...t.scores.map((s) => s.score)]),
        { title: `${cohort.name} 考核成绩`, note: '请勿修改报名编号；成绩留空表示不改动；保存为 .xlsx 后导入' },
      );
      const content = Buffer.from(await wb.xlsx.writeBuffer());
      return { content, disposition: contentDisposition(`${cohort.name}-成绩.xlsx`, 'attachment', 'scores.xlsx') };
    });
  }

  async import(actor: Actor, cohortId: number, source: Readable): Promise<ScoresResultDto> {
    try {
      // The sheet is read outside any transaction (a large file must not hold the database), then
      // checked against the cohort and written in one.
      const { items, names } = await this.tx.run(async (em) => {
        const { cohort } = await this.gate.cohort(em, actor, cohortId);
        const items = await itemsOf(em, cohort.programId);
        if (!items.length) throw AssessmentErrors.noItems();
        return { items, names: new Map((await cohortRoster(em, cohort.id)).map((t) => [t.enrolmentId, t.name])) };
      });
      const sheet = await walkSheet(source, layout(items), (row, cells) => {
        const errors: RowError[] = [];
        const id = wholeNumber(cells.enrolmentId ?? BLANK_CELL);
        if (id === null) errors.push({ row, column: ID, message: '报名编号须为正整数' });
        const name = cells.name;
        if (id !== null && name?.kind === 'text' && names.has(id) && names.get(id) !== name.text)
          errors.push({ row, column: NAME, message: `姓名与报名编号不符（该编号是 ${names.get(id)}）` });
        const found: SheetScore[] = [];
        for (const i of items) {
          const c = cells[`item${i.id}`] ?? BLANK_CELL;
          if (c.kind === 'blank') continue;
          const s = scoreOf(c);
          if (typeof s === 'string') errors.push({ row, column: itemHeader(i), message: s });
          else if (id !== null) found.push({ row, column: itemHeader(i), enrolmentId: id, itemId: i.id, score: s });
        }
        return errors.length ? { errors } : { row: found, errors };
      });
      if (!sheet.header) throw invalidSheet(`未找到表头：表中须有「${ID}」列`);
      const scores = sheet.rows.flat();
      return await this.tx.run(async (em) => {
        const { cohort, program } = await this.gate.cohort(em, actor, cohortId);
        const errors = [...sheet.errors];
        const problems = await this.assessment.check(em, cohort, scores, (i) => String(i));
        for (const p of problems) {
          const s = scores[p.index];
          errors.push({ row: s.row, column: p.field.endsWith('.enrolmentId') ? ID : s.column, message: p.message });
        }
        if (errors.length) {
          const unique = [...new Map(errors.map((e) => [`${e.row}\u0000${e.column}\u0000${e.message}`, e])).values()];
          unique.sort((a, b) => a.row - b.row);
          const rows = new Set(unique.map((e) => e.row)).size;
          throw new BadInputError(
            'IMPORT_INVALID',
            `导入失败：${rows} 行数据有误，未导入任何成绩。请按提示修改后重新导入。`,
            { errors: unique },
          );
        }
        if (!scores.length) throw invalidSheet('表中没有成绩，未导入任何数据');
        return this.assessment.write(
          em,
          actor,
          cohort,
          program,
          scores.map(({ enrolmentId, itemId, score }) => ({ enrolmentId, itemId, score })),
        );
      });
    } finally {
      drainUpload(source);
    }
  }
}
