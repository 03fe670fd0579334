/**
 * Outgoing messages (spec §13): SMTP for e-mail, Aliyun or Tencent Cloud for SMS. Both optional;
 * without them messages reach the in-app inbox only.
 */
export interface MailConfig {
  /** smtp://user:pass@host:port or smtps://… */
  smtpUrl: string;
  from: string;
}

export interface SmsConfig {
  provider: 'aliyun' | 'tencent';
  /** Overrides the provider's endpoint host (a proxy, a private region, a test server). */
  endpoint?: string;
  keyId: string;
  keySecret: string;
  signName: string;
  /** Tencent's SmsSdkAppId (not used by Aliyun). */
  appId?: string;
  region: string;
  /** Template code per message type, from SMS_TEMPLATE_<TYPE> (e.g. SMS_TEMPLATE_ENROLMENT_APPROVED). */
  templates: Record<string, string>;
}

/** The message type a template variable names: SMS_TEMPLATE_ENROLMENT_APPROVED → enrolment.approved. */
export const templateType = (suffix: string) => suffix.toLowerCase().replace('_', '.').replace(/_/g, '-');

export function loadMessagingConfig(
  env: Record<string, string | undefined>,
  problems: string[],
): { mail: MailConfig | null; sms: SmsConfig | null } {
  let mail: MailConfig | null = null;
  if (env.SMTP_URL) {
    if (!/^smtps?:\/\/[^\s/]+/.test(env.SMTP_URL))
      problems.push('SMTP_URL must look like smtp://user:pass@host:587 or smtps://user:pass@host:465');
    if (!env.MAIL_FROM || !/^[^\s@<>]+@[^\s@<>]+$|<[^\s@<>]+@[^\s@<>]+>$/.test(env.MAIL_FROM))
      problems.push('MAIL_FROM is required with SMTP_URL, e.g. "师培平台 <noreply@example.cn>"');
    mail = { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM ?? '' };
  }

  let sms: SmsConfig | null = null;
  const provider = env.SMS_PROVIDER;
  if (provider) {
    if (provider !== 'aliyun' && provider !== 'tencent')
      problems.push(`SMS_PROVIDER must be aliyun or tencent (got "${provider}")`);
    for (const name of ['SMS_KEY_ID', 'SMS_KEY_SECRET', 'SMS_SIGN_NAME'])
      if (!env[name]) problems.push(`${name} is required with SMS_PROVIDER`);
    if (provider === 'tencent' && !env.SMS_APP_ID) problems.push('SMS_APP_ID (SmsSdkAppId) is required for tencent');
    if (env.SMS_ENDPOINT && !/^(https?:\/\/)?[\w.-]+(:\d+)?$/.test(env.SMS_ENDPOINT))
      problems.push(`SMS_ENDPOINT must be a host[:port] or http(s)://host[:port] (got "${env.SMS_ENDPOINT}")`);
    // Tencent's SDK signs for the service named by the endpoint's first label.
    if (provider === 'tencent' && env.SMS_ENDPOINT && !/^(https?:\/\/)?sms\./.test(env.SMS_ENDPOINT))
      problems.push(
        'SMS_ENDPOINT for tencent must be a host beginning with "sms." (e.g. sms.ap-guangzhou.tencentcloudapi.com)',
      );
    const templates: Record<string, string> = {};
    for (const [k, v] of Object.entries(env))
      if (k.startsWith('SMS_TEMPLATE_') && v) templates[templateType(k.slice('SMS_TEMPLATE_'.length))] = v;
    sms = {
      provider: provider as SmsConfig['provider'],
      endpoint: env.SMS_ENDPOINT || undefined,
      keyId: env.SMS_KEY_ID ?? '',
      keySecret: env.SMS_KEY_SECRET ?? '',
      signName: env.SMS_SIGN_NAME ?? '',
      appId: env.SMS_APP_ID || undefined,
      region: env.SMS_REGION || (provider === 'tencent' ? 'ap-guangzhou' : 'cn-hangzhou'),
      templates,
    };
  }
  return { mail, sms };
}
