import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '@shipei/core';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, MaxLength, Min, MinLength } from 'class-validator';
import {
  CERTIFICATE_KINDS,
  CERTIFICATE_STATUSES,
  type CertificateKind,
  type CertificateStatus,
} from '../certificate.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** What issuing answers, per certificate (spec §10). */
export class IssuedCertificateDto {
  @ApiProperty() id: number;
  @ApiProperty({ example: 'LYGG2019-0001' }) number: string;
  @ApiProperty({ example: 'q3Zp2xT9mW4rB7kLm2Xc1A', description: '公开验证码（128 位随机，URL 安全）' })
  verificationCode: string;
  @ApiProperty({ enum: CERTIFICATE_STATUSES }) status: CertificateStatus;
}

/** A certificate as staff and its holder see it: the printed content, never a 身份证号. */
export class CertificateDto extends IssuedCertificateDto {
  @ApiProperty({ enum: CERTIFICATE_STATUSES, example: '有效' }) statusLabel: string;
  @ApiProperty({ enum: CERTIFICATE_KINDS }) kind: CertificateKind;
  @ApiProperty({ nullable: true, type: Number }) enrolmentId: number | null;
  @ApiProperty({ nullable: true, type: Number }) programId: number | null;
  @ApiProperty({ nullable: true, type: Number }) cohortId: number | null;
  @ApiProperty() teacherId: number;
  @ApiProperty({ description: '证书持有人（颁发时）' }) holderName: string;
  @ApiProperty() schoolName: string;
  @ApiProperty() programTitle: string;
  @ApiProperty({ example: '2019-07-01' }) startDate: string;
  @ApiProperty({ example: '2019-07-10' }) endDate: string;
  @ApiProperty({ example: 48 }) creditHours: number;
  @ApiProperty({ example: '临沂市教育局' }) issuer: string;
  @ApiProperty({ example: '2019-07-15' }) issueDate: string;
  @ApiProperty({ description: '公开验证页面地址（二维码内容）' }) verifyUrl: string;
  @ApiProperty() issuedAt: Date;
  @ApiProperty({ nullable: true, type: Date }) revokedAt: Date | null;
  @ApiProperty({ nullable: true, type: String }) revokeReason: string | null;
}

/** The public verification answer: name, program, hours, dates, issuer, number and status, nothing more. */
export class CertificateVerificationDto {
  @ApiProperty({ example: 'LYGG2019-0001' }) number: string;
  @ApiProperty({ enum: CERTIFICATE_STATUSES }) status: CertificateStatus;
  @ApiProperty({ example: '有效' }) statusLabel: string;
  @ApiProperty({ example: '培训结业证书' }) kindLabel: string;
  @ApiPropertyOptional({ enum: CERTIFICATE_KINDS, description: '仅支教证明返回（SERVICE）' }) kind?: CertificateKind;
  @ApiPropertyOptional({ example: '支教计划', description: '仅支教证明返回：“programTitle”的名称（支教计划）' })
  titleLabel?: string;
  @ApiProperty({ example: '张三' }) holderName: string;
  @ApiProperty() programTitle: string;
  @ApiProperty({ example: 48 }) creditHours: number;
  @ApiProperty({ example: '2019-07-01' }) startDate: string;
  @ApiProperty({ example: '2019-07-10' }) endDate: string;
  @ApiProperty({ example: '临沂市教育局' }) issuer: string;
  @ApiProperty({ example: '2019-07-15' }) issueDate: string;
}

export class RevokeCertificateDto {
  @ApiProperty({ example: '考勤记录有误，经核查未达到结业要求', description: '撤销原因（2–500 字）' })
  @Transform(trim)
  @IsString({ message: '撤销原因必须是文本' })
  @MinLength(2, { message: '请填写撤销原因（至少 2 个字）' })
  @MaxLength(500, { message: '撤销原因不能超过 500 个字' })
  reason: string;
}

export class CertificateQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) programId?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) cohortId?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) teacherId?: number;
  @ApiPropertyOptional({ enum: CERTIFICATE_STATUSES })
  @IsOptional()
  @IsIn([...CERTIFICATE_STATUSES], { message: '状态须为 VALID 或 REVOKED' })
  status?: CertificateStatus;
  @ApiPropertyOptional({ description: '证书编号（完整）' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(40)
  number?: string;
}
