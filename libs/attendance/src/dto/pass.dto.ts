import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PASS_SHEET_LAYOUTS, type PassSheetLayout } from '../outputs/pass-sheet';

export class PassSheetQuery {
  @ApiPropertyOptional({ enum: PASS_SHEET_LAYOUTS, description: 'slips：报到凭证（默认）；roster：凭证名册' })
  @IsOptional()
  @IsIn(PASS_SHEET_LAYOUTS as unknown as string[], { message: 'layout 须为 slips 或 roster' })
  layout?: PassSheetLayout;
}

export class CheckinPassDto {
  @ApiProperty() enrolmentId: number;
  @ApiProperty() cohortId: number;
  @ApiProperty({ description: '签到凭证（Ed25519 签名，离线可验）', example: 'P1.AQAAAHsAAABOXS…' }) token: string;
  @ApiProperty({ format: 'date-time', description: '凭证失效时间（班级最后一天结束）' }) expiresAt: string;
  @ApiProperty({ description: '凭证二维码 SVG' }) qrSvg: string;
}

export class PassPublicKeyDto {
  @ApiProperty({ enum: ['Ed25519'] }) algorithm: 'Ed25519';
  @ApiProperty({ description: '公钥（SPKI PEM）' }) publicKeyPem: string;
  @ApiProperty({ description: '公钥（JWK，kty OKP / crv Ed25519）', example: { kty: 'OKP', crv: 'Ed25519', x: '…' } })
  jwk: { kty: string; crv: string; x: string };
  @ApiProperty({
    description: '凭证格式：P1. + base64url(版本 1 字节 ‖ 报名 ID ‖ 班级 ID ‖ 失效时间秒 各 4 字节大端 ‖ 签名 64 字节)',
  })
  format: string;
}

export const SCAN_STATUSES = ['PRESENT', 'LATE', 'ALREADY', 'REJECTED'] as const;
export type ScanStatus = (typeof SCAN_STATUSES)[number];

/** The body of a scan sync, checked by JsonSchemaPipe and shown in the API docs. */
export const SCANS_BODY = {
  type: 'object',
  required: ['scans'],
  additionalProperties: false,
  properties: {
    scans: {
      type: 'array',
      minItems: 1,
      maxItems: 1000,
      description: '离线扫码记录（每次最多 1000 条）',
      items: {
        type: 'object',
        required: ['token', 'scannedAt'],
        additionalProperties: false,
        properties: {
          token: { type: 'string', maxLength: 200, description: '扫到的签到凭证' },
          scannedAt: {
            type: 'string',
            maxLength: 40,
            pattern: '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d(:\\d\\d(\\.\\d{1,3})?)?(Z|[+-]\\d\\d:\\d\\d)$',
            description: '扫码时间（ISO 8601，含时区）',
          },
        },
      },
    },
  },
};

export interface ScansBody {
  scans: { token: string; scannedAt: string }[];
}

export class ScanResultDto {
  @ApiProperty({ description: '在请求 scans 中的序号（从 0 起）' }) index: number;
  @ApiProperty({
    enum: SCAN_STATUSES,
    description: 'PRESENT 出勤 / LATE 迟到 / ALREADY 此前已有记录（未改变）/ REJECTED 不予计入',
  })
  status: ScanStatus;
  @ApiProperty({ nullable: true, type: String, description: '未计入或未改变的原因', example: '不在本班名单中' })
  reason: string | null;
  @ApiProperty({ nullable: true, type: Number, description: '凭证所属报名（签名有效时）' }) enrolmentId: number | null;
}

export class ScanSyncResultDto {
  @ApiProperty({ type: [ScanResultDto] }) results: ScanResultDto[];
}
