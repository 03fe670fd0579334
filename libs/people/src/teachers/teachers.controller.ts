import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectEntityManager } from '@nestjs/typeorm';
import { Actor, CurrentActor, IdPipe, Roles } from '@shipei/core';
import { EntityManager } from 'typeorm';
import { CreateTeacherDto, TeacherDetailQuery, TeacherDto, TeacherQuery, UpdateTeacherDto } from './dto/teacher.dto';
import { TeachersService } from './teachers.service';

@ApiTags('teachers')
@ApiBearerAuth()
@Controller('v1/teachers')
export class TeachersController {
  constructor(
    private readonly teachers: TeachersService,
    @InjectEntityManager() private readonly em: EntityManager,
  ) {}

  @Post()
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '登记教师（县区：本县区学校）；身份证号重复 → 409' })
  @ApiCreatedResponse({ type: TeacherDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateTeacherDto): Promise<TeacherDto> {
    return this.teachers.create(actor, dto);
  }

  @Get()
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '教师列表（身份证号、手机号脱敏）' })
  list(@CurrentActor() actor: Actor, @Query() q: TeacherQuery) {
    return this.teachers.list(this.em, actor, q);
  }

  @Get(':id')
  @ApiOperation({ summary: '教师详情（本人、本县区、市级）；市级 ?full=true 查看完整信息（审计）' })
  @ApiOkResponse({ type: TeacherDto })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Query() q: TeacherDetailQuery): Promise<TeacherDto> {
    return this.teachers.get(this.em, actor, id, q.full);
  }

  @Patch(':id')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOkResponse({ type: TeacherDto })
  update(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Body() dto: UpdateTeacherDto): Promise<TeacherDto> {
    return this.teachers.update(actor, id, dto);
  }
}
