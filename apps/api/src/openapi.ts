import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppConfig } from '@shipei/core';

export function setupOpenApi(app: INestApplication, config: AppConfig): void {
  const doc = new DocumentBuilder()
    .setTitle(`${config.platformName} API`)
    .setDescription(
      '师培：教师培训与人才支持项目管理平台。错误统一为 `{statusCode, code, message}`，message 为中文；' +
        '列表为 `{items, total, page, pageSize}`。',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, doc);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json', useGlobalPrefix: false });
}
