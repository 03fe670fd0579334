import { UsersService } from '@shipei/auth';
import { Body, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { CompletionService } from '@shipei/attendance';
import {
  Actor,
  CurrentActor,
  IdPipe,
  mapError,
  NotFoundError,
  PageQuery,
  Roles,
  TransactionRunner,
} from '@shipei/core';
import {
  CohortDto,
  CohortsService,
  CreateCohortDto,
  CreateSessionDto,
  ProgramDto,
  ProgramsService,
  SessionsService,
  SetTrainersDto,
} from '@shipei/programs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { field, FormBody, FormErrors, formErrors, readForm, validateInput } from '../shared/forms';
import { PageRenderer } from '../shared/page-renderer.service';
import { WebController } from '../shared/web-controller.decorator';
import {
  decimal,
  hours,
  ownsProgram,
  programCrumbs,
  programTabs,
  shanghaiInstant,
  splitShanghai,
  tickedIds,
} from './program-view';
import { trainerOptions } from './trainer-options';

const COHORT_FIELDS = ['name', 'capacity', 'startDate', 'endDate', 'venue', 'trainerIds', 'headTrainerId'];
const SESSION_FIELDS = ['title', 'date', 'startsAt', 'endsAt', 'hours', 'trainerId', 'room'];

/** The sum of a cohort's session hours against the program's credit hours, as words and a colour. */
export function hoursCheck(sessionHours: number, creditHours: number): { text: string; tone: string } {
  const diff = Math.round((sessionHours - creditHours) * 100) / 100;
  if (diff === 0) return { text: '与项目学时一致', tone: 'success' };
  return diff < 0
    ? { text: `比项目学时少 ${hours(-diff)} 学时`, tone: 'warning' }
    : { text: `比项目学时多 ${hours(diff)} 学时`, tone: 'warning' };
}

/** 班级 of a program (owner): list, create, one cohort with its trainers, sessions and completion. */
@WebController('app/programs')
@Roles('CITY_ADMIN', 'COUNTY_ADMIN')
export class CohortsPagesController {
  constructor(
    private readonly programs: ProgramsService,
    private readonly cohorts: CohortsService,
    private readonly sessions: SessionsService,
    private readonly completion: CompletionService,
    private readonly pages: PageRenderer,
    private readonly users: UsersService,
    private readonly tx: TransactionRunner,
  ) {}

  /** The cohort, only under its own program's path. */
  private async cohortOf(
    actor: Actor,
    programId: number,
    cohortId: number,
  ): Promise<{ program: ProgramDto; cohort: CohortDto }> {
    const program = await this.tx.read((em) => this.programs.get(em, actor, programId));
    const cohort = await this.tx.read((em) => this.cohorts.get(em, actor, cohortId));
    if (cohort.programId !== program.id) throw new NotFoundError('班级');
    return { program, cohort };
  }

  @Get(':id/cohorts')
  async list(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    const program = await this.tx.read((em) => this.programs.get(em, actor, id));
    const q = await validateInput(PageQuery, { pageSize: 200 }, 'query');
    const page = await this.tx.read((em) => this.cohorts.list(em, actor, id, q));
    const rows = page.items.map((c) => ({
      ...c,
      check: hoursCheck(c.sessionHours, c.programCreditHours),
      sessionHoursText: hours(c.sessionHours),
      trainerNames: c.trainers.map((t) => (t.head ? `${t.name}（班主任）` : t.name)),
    }));
    return this.pages.render(
      req,
      reply,
      'programs/cohorts',
      { title: '班级与分班', crumbs: programCrumbs(program) },
      {
        program,
        tabs: programTabs(actor, program, 'cohorts'),
        owner: ownsProgram(actor, program),
        rows,
        capacity: rows.reduce((s, c) => s + c.capacity, 0),
        assigned: rows.reduce((s, c) => s + c.assignedCount, 0),
        approved: program.approvedCount,
        creditHoursText: hours(program.creditHours),
      },
    );
  }

  @Get(':id/cohorts/new')
  async newForm(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
  ): Promise<void> {
    const program = await this.tx.read((em) => this.programs.get(em, actor, id));
    return this.showCohortForm(req, reply, actor, program, {
      capacity: 50,
      startDate: program.startDate ?? '',
      endDate: program.endDate ?? '',
      trainerIds: [],
    });
  }

  @Post(':id/cohorts/new')
  @HttpCode(200)
  async create(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() body: FormBody,
  ): Promise<void> {
    const program = await this.tx.read((em) => this.programs.get(em, actor, id));
    const form = readForm(body, {
      name: 'text',
      capacity: 'int',
      startDate: 'text',
      endDate: 'text',
      venue: 'text',
      headTrainerId: 'int',
    });
    form.trainerIds = tickedIds(body, 'trainerIds', 50);
    try {
      const cohort = await this.cohorts.create(actor, id, await validateInput(CreateCohortDto, form));
      return this.pages.redirect(reply, `/app/programs/${id}/cohorts/${cohort.id}`, {
        tone: 'success',
        text: `已建班「${cohort.name}」。请排课并分入学员。`,
      });
    } catch (e) {
      const errors = formErrors(e, COHORT_FIELDS, { INVALID_TRAINER: 'trainerIds' });
      if (!errors) throw e;
      return this.showCohortForm(req, reply, actor, program, form, errors, mapError(e).status);
    }
  }

  private async showCohortForm(
    req: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    program: ProgramDto,
    form: Record<string, unknown>,
    errors?: FormErrors,
    status = 400,
  ): Promise<void> {
    return this.pages.render(
      req,
      reply,
      'programs/cohort-form',
      {
        title: '新建班级',
        status: errors ? status : 200,
        crumbs: programCrumbs(program, [{ label: '班级与分班', href: `/app/programs/${program.id}/cohorts` }]),
      },
      {
        program,
        trainers: await trainerOptions(this.tx, this.users),
        form,
        errors,
      },
    );
  }

  @Get(':id/cohorts/:cid')
  async detail(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('cid', IdPipe) cid: number,
  ): Promise<void> {
    return this.showDetail(req, reply, actor, id, cid, {});
  }

  @Post(':id/cohorts/:cid/sessions')
  @HttpCode(200)
  async addSession(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('cid', IdPipe) cid: number,
    @Body() body: FormBody,
  ): Promise<void> {
    await this.cohortOf(actor, id, cid);
    const typed = {
      title: field(body, 'title'),
      date: field(body, 'date'),
      startTime: field(body, 'startTime'),
      endTime: field(body, 'endTime'),
      hours: field(body, 'hours'),
      trainerId: field(body, 'trainerId'),
      room: field(body, 'room'),
    };
    const data = {
      title: typed.title || undefined,
      startsAt: typed.date && typed.startTime ? shanghaiInstant(typed.date, typed.startTime) : undefined,
      endsAt: typed.date && typed.endTime ? shanghaiInstant(typed.date, typed.endTime) : undefined,
      hours: decimal(typed.hours),
      trainerId: typed.trainerId ? Number(typed.trainerId) : undefined,
      room: typed.room || undefined,
    };
    try {
      const missing: Record<string, string> = {};
      if (!typed.date) missing.date = '请选择上课日期';
      if (!typed.startTime) missing.startsAt = '请填写开始时间';
      if (!typed.endTime) missing.endsAt = '请填写结束时间';
      if (Object.keys(missing).length) {
        return this.showDetail(
          req,
          reply,
          actor,
          id,
          cid,
          { session: { form: typed, errors: { summary: '提交未成功，请按提示修改标红的项目。', fields: missing } } },
          400,
        );
      }
      const s = await this.sessions.create(actor, cid, await validateInput(CreateSessionDto, data));
      return this.pages.redirect(reply, `/app/programs/${id}/cohorts/${cid}#sessions`, {
        tone: 'success',
        text: `已添加课次「${s.title}」。`,
      });
    } catch (e) {
      const errors = formErrors(e, SESSION_FIELDS, { INVALID_TRAINER: 'trainerId' });
      if (!errors) throw e;
      return this.showDetail(req, reply, actor, id, cid, { session: { form: typed, errors } }, mapError(e).status);
    }
  }

  @Post(':id/cohorts/:cid/trainers')
  @HttpCode(200)
  async setTrainers(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('cid', IdPipe) cid: number,
    @Body() body: FormBody,
  ): Promise<void> {
    await this.cohortOf(actor, id, cid);
    const form = { trainerIds: tickedIds(body, 'trainerIds', 50), ...readForm(body, { headTrainerId: 'int' }) };
    try {
      await this.cohorts.setTrainers(actor, cid, await validateInput(SetTrainersDto, form));
      return this.pages.redirect(reply, `/app/programs/${id}/cohorts/${cid}`, {
        tone: 'success',
        text: '已保存本班培训教师。',
      });
    } catch (e) {
      const errors = formErrors(e, ['trainerIds', 'headTrainerId'], { INVALID_TRAINER: 'trainerIds' });
      if (!errors) throw e;
      return this.showDetail(req, reply, actor, id, cid, { trainers: { form, errors } }, mapError(e).status);
    }
  }

  @Post(':id/cohorts/:cid/completion')
  async complete(
    @Res() reply: FastifyReply,
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Param('cid', IdPipe) cid: number,
  ): Promise<void> {
    await this.cohortOf(actor, id, cid);
    try {
      const r = await this.completion.complete(actor, cid);
      return this.pages.redirect(reply, `/app/programs/${id}/cohorts/${cid}`, {
        tone: 'success',
        text: `结业计算完成：结业 ${r.completed} 人，未结业 ${r.notCompleted} 人。`,
      });
    } catch (e) {
      const errors = formErrors(e, []);
      if (!errors) throw e;
      return this.pages.redirect(reply, `/app/programs/${id}/cohorts/${cid}`, { tone: 'error', text: errors.summary });
    }
  }

  private async showDetail(
    req: FastifyRequest,
    reply: FastifyReply,
    actor: Actor,
    id: number,
    cid: number,
    failed: {
      session?: { form: Record<string, unknown>; errors: FormErrors };
      trainers?: { form: Record<string, unknown>; errors: FormErrors };
    },
    status = 200,
  ): Promise<void> {
    const { program, cohort } = await this.cohortOf(actor, id, cid);
    const schedule = await this.tx.read(async (em) =>
      this.sessions.list(em, actor, cid, await validateInput(PageQuery, { pageSize: 200 }, 'query')),
    );
    const trainers = await trainerOptions(this.tx, this.users);
    const trainerName = new Map(trainers.map((t) => [Number(t.value), t.label]));
    for (const t of cohort.trainers) if (!trainerName.has(t.userId)) trainerName.set(t.userId, t.name);
    const rows = schedule.items.map((s) => {
      const from = splitShanghai(s.startsAt);
      return {
        ...s,
        day: from.date,
        from: from.time,
        to: splitShanghai(s.endsAt).time,
        hoursText: hours(s.hours),
        trainerName: s.trainerId ? (trainerName.get(s.trainerId) ?? '') : '',
      };
    });
    const head = cohort.trainers.find((t) => t.head);
    return this.pages.render(
      req,
      reply,
      'programs/cohort',
      {
        title: cohort.name,
        status,
        crumbs: programCrumbs(program, [{ label: '班级与分班', href: `/app/programs/${program.id}/cohorts` }]),
      },
      {
        program,
        cohort: {
          ...cohort,
          sessionHoursText: hours(schedule.totalHours),
          creditHoursText: hours(schedule.programCreditHours),
          check: hoursCheck(schedule.totalHours, schedule.programCreditHours),
        },
        tabs: programTabs(actor, program, 'cohorts'),
        owner: ownsProgram(actor, program),
        base: `/app/programs/${program.id}/cohorts/${cohort.id}`,
        rows,
        trainers,
        session: failed.session ?? { form: { date: cohort.startDate, hours: '' }, errors: null },
        trainerForm: failed.trainers ?? {
          form: { trainerIds: cohort.trainers.map((t) => t.userId), headTrainerId: head?.userId ?? '' },
          errors: null,
        },
      },
    );
  }
}
