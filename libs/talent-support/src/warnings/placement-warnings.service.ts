import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { AccessPolicy, Actor, ForbiddenError } from '@shipei/core';
import { Enrolment } from '@shipei/enrolment';
import { Teacher } from '@shipei/people';
import { Cohort, Program, PROGRAM_KIND } from '@shipei/programs';
import { EntityManager, In } from 'typeorm';
import { placementConflicts } from '../placements/placement-conflicts';

/** Enrolments that no longer take a place in the program: they raise no warning. */
const GONE = ['REJECTED', 'WITHDRAWN', 'DECLINED'];

export class PlacementWarningDto {
  @ApiProperty() enrolmentId: number;
  @ApiProperty() teacherId: number;
  @ApiProperty({ example: '张三' }) teacherName: string;
  @ApiProperty({ nullable: true, type: Number, description: '未分班时为空（按项目起止日期比对）' }) cohortId:
    number | null;
  @ApiProperty({ example: '2019年国家“三区”人才支持计划教师专项计划' }) schemeTitle: string;
  @ApiProperty({ example: '2019-09-02' }) serviceFrom: string;
  @ApiProperty({ example: '2020-07-15' }) serviceTo: string;
  @ApiProperty({
    example: '该教师2019-09-02至2020-07-15在“…”支教服务期内，培训日期2019-10-10至2019-10-12与服务期重叠，请核实',
  })
  message: string;
}

/**
 * The warning the office sees (spec §7): a teacher enrolled in a training whose dates (the cohort's,
 * or the program's before 分班) fall inside the service period of their active placement. Read-only;
 * for the program's owner.
 */
@Injectable()
export class PlacementWarningsService {
  constructor(private readonly access: AccessPolicy) {}

  /** 404 when the caller cannot see the program, 403 when it sees it but does not own it. */
  async forProgram(em: EntityManager, actor: Actor, programId: number): Promise<PlacementWarningDto[]> {
    const program = await this.access.load<Program>(em, actor, PROGRAM_KIND, programId);
    if (!(await this.access.allowed(em, actor, PROGRAM_KIND, [program.id], 'write')).has(program.id)) {
      throw new ForbiddenError('NOT_PROGRAM_OWNER', '只有项目主办单位可以查看支教冲突提醒');
    }
    const enrolments = await em
      .createQueryBuilder(Enrolment, 'e')
      .select(['e.id', 'e.teacherId', 'e.cohortId'])
      .where('e.programId = :programId AND e.status NOT IN (:...gone)', { programId: program.id, gone: GONE })
      .orderBy('e.id', 'ASC')
      .getMany();
    if (!enrolments.length) return [];

    const cohortIds = [...new Set(enrolments.map((e) => e.cohortId).filter((id): id is number => id != null))];
    const cohorts = new Map(
      cohortIds.length
        ? (
            await em.find(Cohort, {
              where: { id: In(cohortIds) },
              select: { id: true, startDate: true, endDate: true },
            })
          ).map((c) => [c.id, c])
        : [],
    );

    // One conflict query per distinct date range (a cohort, or the program before 分班).
    const byRange = new Map<string, { from: string; to: string; enrolments: Enrolment[] }>();
    for (const e of enrolments) {
      const cohort = e.cohortId != null ? cohorts.get(e.cohortId) : undefined;
      const from = cohort?.startDate ?? program.startDate;
      const to = cohort?.endDate ?? program.endDate;
      if (!from || !to) continue;
      const key = `${from}/${to}`;
      const group = byRange.get(key) ?? { from, to, enrolments: [] };
      group.enrolments.push(e);
      byRange.set(key, group);
    }

    const found: {
      e: Enrolment;
      from: string;
      to: string;
      schemeTitle: string;
      serviceFrom: string;
      serviceTo: string;
    }[] = [];
    for (const { from, to, enrolments: group } of byRange.values()) {
      const conflicts = new Map(
        (
          await placementConflicts(
            em,
            group.map((e) => e.teacherId),
            from,
            to,
          )
        ).map((c) => [c.teacherId, c]),
      );
      for (const e of group) {
        const c = conflicts.get(e.teacherId);
        if (c)
          found.push({ e, from, to, schemeTitle: c.schemeTitle, serviceFrom: c.serviceFrom, serviceTo: c.serviceTo });
      }
    }
    if (!found.length) return [];

    const teachers = new Map(
      (
        await em.find(Teacher, {
          where: { id: In([...new Set(found.map((f) => f.e.teacherId))]) },
          select: { id: true, name: true },
        })
      ).map((t) => [t.id, t.name]),
    );
    return found
      .sort((a, b) => a.e.id - b.e.id)
      .map(({ e, from, to, schemeTitle, serviceFrom, serviceTo }) => ({
        enrolmentId: e.id,
        teacherId: e.teacherId,
        teacherName: teachers.get(e.teacherId) ?? '',
        cohortId: e.cohortId ?? null,
        schemeTitle,
        serviceFrom,
        serviceTo,
        message: `该教师${serviceFrom}至${serviceTo}在“${schemeTitle}”支教服务期内，培训日期${from}至${to}与服务期重叠，请核实`,
      }));
  }
}
