import 'reflect-metadata';
import { ConfigError, loadAppConfig, redactDatabaseUrl } from '@shipei/core';
import { createApp } from './create-app';

async function main(): Promise<void> {
  let config;
  try {
    config = loadAppConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  if (config.jwtSecretGenerated) {
    console.warn('警告：未设置 JWT_SECRET，本次启动使用随机密钥（重启后所有登录失效；多进程部署必须设置）。');
  }
  const app = await createApp(config);
  await app.listen(config.port, '0.0.0.0');
  console.log(
    `师培 Shipei 已启动：${config.publicBaseUrl}  （API 文档 ${config.publicBaseUrl}/api/docs，数据库 ${redactDatabaseUrl(config.databaseUrl)}）`,
  );
}

void main();
