import { Body, Controller, Delete, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, IdPipe, Roles } from '@shipei/core';
import { AssignmentsService } from './assignments/assignments.service';
import { AssignDto, AssignmentResultDto } from './dto/enrolment.dto';

@ApiTags('cohorts')
@ApiBearerAuth()
@Controller('v1/cohorts')
export class CohortAssignmentsController {
  constructor(private readonly assignments: AssignmentsService) {}

  @Post(':id/assignments')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '手动分班（主办单位）：不超过班级容量；同一教师不能在日期重叠的两个班' })
  @ApiCreatedResponse({ type: AssignmentResultDto })
  assign(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) cohortId: number,
    @Body() dto: AssignDto,
  ): Promise<AssignmentResultDto> {
    return this.assignments.assign(actor, cohortId, dto.enrolmentIds);
  }

  @Delete(':id/assignments/:enrolmentId')
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '调出本班（主办单位）' })
  @ApiOkResponse({ type: AssignmentResultDto })
  unassign(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) cohortId: number,
    @Param('enrolmentId', IdPipe) enrolmentId: number,
  ): Promise<AssignmentResultDto> {
    return this.assignments.unassign(actor, cohortId, enrolmentId);
  }
}
