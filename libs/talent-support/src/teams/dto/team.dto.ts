import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsString,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CreateTeamDto {
  @ApiProperty({ example: '兰山区赴岸堤镇支教团', description: '团队名称' })
  @Transform(trim)
  @IsString()
  @MinLength(2, { message: '团队名称至少 2 个字' })
  @MaxLength(50)
  name: string;

  @ApiProperty({ type: [Number], description: '同一县区、同一受援学校的选派记录，至少 2 人' })
  @IsArray()
  @ArrayMinSize(2, { message: '组团式选派至少 2 人' })
  @ArrayMaxSize(100)
  @ArrayUnique({ message: '选派记录不能重复' })
  @IsInt({ each: true })
  @Min(1, { each: true })
  placementIds: number[];

  @ApiProperty({ description: '团队负责人（队长）的选派记录，须为成员之一' })
  @IsInt()
  @Min(1)
  leaderPlacementId: number;
}

export class TeamMemberDto {
  @ApiProperty() placementId: number;
  @ApiProperty() teacherId: number;
  @ApiProperty() teacherName: string;
  @ApiProperty() status: string;
  @ApiProperty() statusLabel: string;
  @ApiProperty({ description: '是否为队长' }) leader: boolean;
}

export class TeamDto {
  @ApiProperty() id: number;
  @ApiProperty() schemeId: number;
  @ApiProperty() name: string;
  @ApiProperty() countyId: number;
  @ApiProperty() countyName: string;
  @ApiProperty() receivingSchoolId: number;
  @ApiProperty() receivingSchoolName: string;
  @ApiProperty() leaderPlacementId: number;
  @ApiProperty({ type: [TeamMemberDto] }) members: TeamMemberDto[];
}
