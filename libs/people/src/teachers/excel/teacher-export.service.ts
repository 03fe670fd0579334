import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import {
  Actor,
  Clock,
  contentDisposition,
  keysetRows,
  safeCellText,
  shanghaiDate,
  streamXlsx,
  TableColumn,
  TransactionRunner,
} from '@shipei/core';
import { AuditService } from '@shipei/audit';
import { EntityManager, In } from 'typeorm';
import { maskIdNumber, maskPhone } from '../../identity/mask';
import { Organisation } from '../../organisations/organisation.entity';
import { TeacherQuery } from '../dto/teacher.dto';
import { BACKBONE_LABELS, Teacher } from '../teacher.entity';
import { TeachersService } from '../teachers.service';
import { yesNo } from './teacher-columns';
import { buildTeacherTemplate } from './teacher-template';
import { mayRevealIdentity } from '../../people.access';

/**
 * Rows read per query while streaming an export (keyset pagination on id).
 * Small on purpose: rows of a batch that live through two young-generation collections are moved to
 * V8's old space, and V8 then allocates such rows there from the start ("pretenuring"), where they
 * are freed only by a full collection: with 1,000 a 100,000-row export grew the heap by 200 MB of
 * garbage, with 200 by 8 MB (bench/exports.bench.ts).
 */
const EXPORT_BATCH = 200;

export interface XlsxDownload {
  stream: Readable;
  disposition: string;
}

/** The export's columns: the import columns first (so a full export can be imported again), then derived ones. */
const EXPORT_COLUMNS: TableColumn[] = [
  { header: '姓名', width: 12 },
  { header: '身份证号', width: 22, kind: 'text' },
  { header: '手机号', width: 15, kind: 'text' },
  { header: '学校', width: 26 },
  { header: '学段', width: 10 },
  { header: '学科', width: 10 },
  { header: '职称', width: 12 },
  { header: '骨干教师', width: 10 },
  { header: '开始任教年份', width: 14 },
  { header: '近三年考核合格', width: 16 },
  { header: '教师资格证号', width: 22, kind: 'text' },
  { header: '试用期', width: 8 },
  { header: '特岗教师', width: 10 },
  { header: '普通话等级', width: 12 },
  { header: '性别', width: 6 },
  { header: '出生日期', width: 12, kind: 'text' },
  { header: '县区', width: 20 },
];

@Injectable()
export class TeacherExportService {
  private templateBytes?: Promise<Buffer>;

  constructor(
    private readonly teachers: TeachersService,
    private readonly tx: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Today in Beijing time as 'YYYYMMDD', for file names. */
  private day(): string {
    return shanghaiDate(this.clock.now()).replace(/-/g, '');
  }

  /** The import template (.xlsx), built once per process. */
  async template(): Promise<{ content: Buffer; disposition: string }> {
    this.templateBytes ??= buildTeacherTemplate();
    return {
      content: await this.templateBytes,
      disposition: contentDisposition('教师信息导入模板.xlsx', 'attachment', 'teacher-import-template.xlsx'),
    };
  }

  /**
   * The filtered, scoped teacher list as .xlsx, streamed batch by batch. 身份证号 and phone are
   * masked unless a CITY_ADMIN asks for full values, which is audited before anything is sent.
   * Every text cell is escaped against formula injection; IDs and phones are text cells.
   */
  async export(
    em: EntityManager,
    actor: Actor,
    q: Omit<TeacherQuery, 'page' | 'pageSize' | 'offset'>,
    full = false,
  ): Promise<XlsxDownload> {
    const reveal = full && mayRevealIdentity(actor);
    const base = this.teachers.filtered(em, actor, q);
    if (reveal) {
      const total = await base.clone().getCount();
      await this.tx.run((wem) =>
        this.audit.record(wem, actor, {
          action: 'reveal',
          entity: 'teacher',
          fields: ['idNumber', 'phone'],
          note: `export of ${total} teachers`,
        }),
      );
    }
    const names = new Map<number, string>();
    const rows = keysetRows(
      EXPORT_BATCH,
      (after: Teacher | undefined) =>
        base
          .clone()
          .andWhere('t.id > :afterId', { afterId: after?.id ?? 0 })
          .orderBy('t.id', 'ASC')
          .limit(EXPORT_BATCH)
          .getMany(),
      async (batch) => {
        const missing = [...new Set(batch.flatMap((t) => [t.schoolId, t.countyId]))].filter((id) => !names.has(id));
        if (missing.length)
          for (const o of await em.find(Organisation, { where: { id: In(missing) }, select: { id: true, name: true } }))
            names.set(o.id, o.name);
        return batch.map((t) => this.cells(t, names, reveal));
      },
    );
    const out = streamXlsx({ name: '教师名单', columns: EXPORT_COLUMNS }, rows, {
      date: () => this.clock.now(),
      label: 'Teacher',
    });
    return {
      stream: out,
      disposition: contentDisposition(`教师名单-${this.day()}.xlsx`, 'attachment', `teachers-${this.day()}.xlsx`),
    };
  }

  private cells(t: Teacher, names: Map<number, string>, reveal: boolean): (string | number | null)[] {
    const text = (v: string | null | undefined) => safeCellText(v ?? '');
    return [
      text(t.name),
      text(reveal ? t.idNumber : maskIdNumber(t.idNumber)),
      text(reveal ? t.phone : maskPhone(t.phone)),
      text(names.get(t.schoolId)),
      text(t.stage),
      text(t.subject),
      text(t.title),
      BACKBONE_LABELS[t.backboneLevel] ?? '',
      t.teachingStartYear ?? null,
      yesNo(t.appraisalsQualified),
      text(t.qualificationCertNo),
      yesNo(t.onProbation),
      yesNo(t.specialPost),
      text(t.putonghuaLevel),
      t.gender === 'F' ? '女' : '男',
      t.birthDate,
      text(names.get(t.countyId)),
    ];
  }
}
