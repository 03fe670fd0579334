import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectEntityManager } from '@nestjs/typeorm';
import { Actor, CurrentActor, Roles } from '@shipei/core';
import { EntityManager } from 'typeorm';
import { CreateUserDto, UserDto, UserQuery } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('v1/users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    @InjectEntityManager() private readonly em: EntityManager,
  ) {}

  @Post()
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '创建账号（市级：任意；县区：本县区教师账号）；初始密码为一次性密码' })
  @ApiCreatedResponse({ type: UserDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateUserDto): Promise<UserDto> {
    return this.users.create(actor, dto);
  }

  @Get()
  @Roles('CITY_ADMIN', 'COUNTY_ADMIN')
  @ApiOperation({ summary: '账号列表（按权限范围）' })
  list(@CurrentActor() actor: Actor, @Query() q: UserQuery) {
    return this.users.list(this.em, actor, q);
  }
}
